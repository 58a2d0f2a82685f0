package org.attnbench.workloads.features;

import java.awt.image.BufferedImage;

/**
 * clean-fid's default "clean" preprocessing: the image as PIL's {@code convert("RGB")} reads it
 * ({@link PilRgb}), each channel resized to 299 x 299 as a float32 image with PIL's bicubic
 * filter ({@link PilBicubic}; {@code make_resizer("PIL", False, "bicubic", (299, 299))}), clipped
 * to [0, 255], then scaled as the weights' form expects, in float32 as PyTorch computes it.
 *
 * @param scaling what the network takes
 */
record CleanFidPreprocessing(Scaling scaling) implements ImagePreprocessing {
    static final int SIZE = 299;

    /** The value range each form of the FID Inception takes. */
    enum Scaling {
        /** StyleGAN's TorchScript file, as clean-fid's InceptionV3W feeds its layers: (x - 128) / 128. */
        TORCHSCRIPT("(x - 128) / 128"),
        /** pytorch-fid's network, as clean-fid's "pytorch_inception" extractor feeds it: 2 (x / 255) - 1. */
        PYTORCH_FID("2 (x / 255) - 1");

        private final String formula;

        Scaling(String formula) {
            this.formula = formula;
        }

        float apply(float x) {
            return switch (this) {
                case TORCHSCRIPT -> (x - 128f) / 128f;
                case PYTORCH_FID -> 2f * (x / 255f) - 1f;
            };
        }
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void fill(BufferedImage image, float[] dest, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] rgb = PilRgb.planes(image);
        int plane = SIZE * SIZE;
        for (int c = 0; c < 3; c++) {
            float[] resized = PilBicubic.resize(rgb[c], w, h, SIZE, SIZE);
            for (int i = 0; i < plane; i++) {
                float clipped = Math.min(255f, Math.max(0f, resized[i]));
                dest[offset + c * plane + i] = scaling.apply(clipped);
            }
        }
    }

    @Override
    public String toString() {
        return "clean-fid's clean resize (PIL bicubic to " + SIZE + "), " + scaling.formula;
    }
}
