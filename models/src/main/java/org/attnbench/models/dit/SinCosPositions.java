package org.attnbench.models.dit;

/**
 * The 2-D sin-cos position embeddings of diffusers' PatchEmbed, for a window of rows x cols patches
 * whose top-left cell is (top, left) in a grid of spanRows x spanCols: [rows * cols * dim]
 * row-major. The first half of the channels encodes the column, the second the row, each as sin
 * then cos of coordinate x frequency 10000^(-k / (dim/4)); a coordinate is index / (span / base) /
 * scale, base being the model's default grid (sample_size / patch). PixArt computes the window as
 * the whole grid of the image; SD3 crops the centre of its pos_embed_max_size grid.
 */
final class SinCosPositions {
    private SinCosPositions() {}

    static float[] window(int dim, double base, double scale, int rows, int cols, int spanRows, int spanCols, int top,
            int left) {
        int quarter = dim / 4;
        float[] out = new float[rows * cols * dim];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double x = (left + c) / (spanCols / base) / scale;
                double y = (top + r) / (spanRows / base) / scale;
                int at = (r * cols + c) * dim;
                for (int k = 0; k < quarter; k++) {
                    double omega = 1 / Math.pow(10000, (double) k / quarter);
                    out[at + k] = (float) Math.sin(x * omega);
                    out[at + quarter + k] = (float) Math.cos(x * omega);
                    out[at + 2 * quarter + k] = (float) Math.sin(y * omega);
                    out[at + 3 * quarter + k] = (float) Math.cos(y * omega);
                }
            }
        }
        return out;
    }
}
