package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    private static BufferedImage solid(int w, int h, int rgb, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        return img;
    }

    @Test
    void planarRgbInTheValueRange() {
        float[] out = new float[3 * 4 * 4];
        new Preprocessing(4, -1, 1).fill(solid(10, 6, 0xff0033, BufferedImage.TYPE_INT_RGB), out, 0);
        for (int i = 0; i < 16; i++) {
            assertEquals(1f, out[i], 1e-6f, "red plane first");
            assertEquals(-1f, out[16 + i], 1e-6f, "green plane");
            assertEquals(-0.6f, out[32 + i], 1e-6f, "blue plane: 51 / 255 * 2 - 1");
        }
    }

    @Test
    void grayscaleImagesGiveThreeEqualChannelsAndOffsetIsHonoured() {
        float[] out = new float[2 * 3 * 2 * 2];
        new Preprocessing(2, 0, 255).fill(solid(3, 3, 0x808080, BufferedImage.TYPE_BYTE_GRAY), out, 12);
        float[] expected = new float[12];
        Arrays.fill(expected, 128);
        assertArrayEquals(new float[12], Arrays.copyOfRange(out, 0, 12));
        assertArrayEquals(expected, Arrays.copyOfRange(out, 12, 24), 1e-4f);
    }

    @Test
    void valueRangesParseOrFailOnOneLine() {
        assertArrayEquals(new double[] {-1, 1}, Preprocessing.parseRange("-1, 1"));
        assertEquals("value range '0-1' must be LOW,HIGH (e.g. 0,1 or -1,1 or 0,255)",
                assertThrows(UserError.class, () -> Preprocessing.parseRange("0-1")).getMessage());
        assertThrows(UserError.class, () -> new Preprocessing(299, 1, 0));
        assertThrows(UserError.class, () -> new Preprocessing(0, 0, 1));
    }
}
