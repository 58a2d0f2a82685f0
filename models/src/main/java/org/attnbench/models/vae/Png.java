package org.attnbench.models.vae;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.attnbench.tensor.HostTensor;

/** Writes a decoded image [1, 3, H, W] in [-1, 1] as an 8-bit RGB PNG, as diffusers' image processor does. */
public final class Png {
    private Png() {}

    public static void write(HostTensor image, Path file) {
        long[] s = image.shape();
        if (s.length != 4 || s[0] != 1 || s[1] != 3) throw new IllegalArgumentException("expected [1, 3, H, W], got " + image);
        int h = (int) s[2];
        int w = (int) s[3];
        float[] v = image.toFloats();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int ch = 0; ch < 3; ch++) rgb = rgb << 8 | level(v[(ch * h + y) * w + x]);
                img.setRGB(x, y, rgb);
            }
        }
        try {
            if (!ImageIO.write(img, "png", file.toFile())) throw new IllegalStateException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** (v / 2 + 0.5) clamped to [0, 1], times 255, rounded. */
    static int level(float v) {
        double unit = Math.min(1, Math.max(0, v / 2 + 0.5));
        return (int) Math.round(unit * 255);
    }
}
