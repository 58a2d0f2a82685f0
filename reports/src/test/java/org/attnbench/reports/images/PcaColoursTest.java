package org.attnbench.reports.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class PcaColoursTest {
    /**
     * A map whose principal directions are channels 0, 1, 2 (variances 9, 4, 1) over an 8x4 grid: the
     * three channels carry orthogonal, zero-mean sign patterns, so their covariance is diagonal.
     */
    static TokenMap map(double shift) {
        int h = 8;
        int w = 4;
        int c = 5;
        float[] d = new float[h * w * c];
        for (int p = 0; p < h * w; p++) {
            d[p * c] = (float) (3 * sign(p) + shift);
            d[p * c + 1] = (float) (2 * sign(p / 2));
            d[p * c + 2] = (float) sign(p / 4);
        }
        return new TokenMap(h, w, c, d);
    }

    @Test
    void componentsFollowTheVarianceAndColoursSpanTheRange() {
        TokenMap ref = map(0);
        PcaColours pca = PcaColours.fit(ref);
        for (int p = 0; p < ref.positions(); p++) {
            // the first component is channel 0 up to its mean (sign fixed positive)
            assertEquals(ref.get(p, 0) - mean(ref, 0), pca.project(ref, p, 0), 1e-4);
        }
        BufferedImage img = pca.render(ref);
        assertEquals(4, img.getWidth());
        assertEquals(8, img.getHeight());
        int min = 255;
        int max = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 4; x++) {
                int red = (img.getRGB(x, y) >> 16) & 255;
                min = Math.min(min, red);
                max = Math.max(max, red);
            }
        }
        assertTrue(min == 0 && max == 255, "red spans the reference's range: " + min + ".." + max);
    }

    @Test
    void oneProjectionForEveryColumnSoAShiftShowsAsAColourChange() {
        PcaColours pca = PcaColours.fit(map(0));
        assertArrayEquals(pixels(pca.render(map(0))), pixels(PcaColours.fit(map(0)).render(map(0))), "repeatable");
        assertNotEquals(pixels(pca.render(map(0)))[5], pixels(pca.render(map(1.5)))[5]);
        // fitted on the shifted map itself, the shift would vanish: that is what sharing the projection prevents
        assertArrayEquals(pixels(pca.render(map(0))), pixels(PcaColours.fit(map(1.5)).render(map(1.5))));
    }

    @Test
    void tokensAndLatentsAreLaidOutOnTheirGrid() {
        float[] tokens = new float[2 * 3 * 2];
        for (int i = 0; i < tokens.length; i++) tokens[i] = i;
        TokenMap t = TokenMap.of(HostTensor.of(tokens, 1, 6, 2), "2x3");
        assertEquals(2, t.h());
        assertEquals(3, t.w());
        assertEquals(9, t.get(4, 1));
        float[] latents = new float[2 * 2 * 3];
        for (int i = 0; i < latents.length; i++) latents[i] = i;
        TokenMap l = TokenMap.of(HostTensor.of(latents, 1, 2, 2, 3), null);
        assertEquals(2, l.c());
        assertEquals(6 + 4, l.get(4, 1)); // channel 1 starts after the 6 values of channel 0
    }

    static int sign(int i) {
        return i % 2 == 0 ? 1 : -1;
    }

    static double mean(TokenMap m, int ch) {
        double s = 0;
        for (int p = 0; p < m.positions(); p++) s += m.get(p, ch);
        return s / m.positions();
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
