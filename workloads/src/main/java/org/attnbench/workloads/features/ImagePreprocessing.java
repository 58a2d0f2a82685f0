package org.attnbench.workloads.features;

import java.awt.image.BufferedImage;

/** How one decoded image becomes one network input [3, size, size] (planar RGB). */
interface ImagePreprocessing {
    /** Side of the square input. */
    int size();

    /** Writes the input for {@code image} into {@code dest} from {@code offset}. */
    void fill(BufferedImage image, float[] dest, int offset);
}
