package org.attnbench.reports.images;

import java.util.Arrays;
import org.attnbench.tensor.HostTensor;

/**
 * A saved output laid out on its spatial grid: {@code h × w} positions of {@code c} values each,
 * row-major. Attention outputs [B, N, C] put token i at row i / w, column i % w (the order the
 * block flattens the latent grid in); latents [B, C, h, w] are read channel by channel. Only the
 * first batch item is used.
 */
public record TokenMap(int h, int w, int c, float[] data) {

    public float get(int position, int channel) {
        return data[position * c + channel];
    }

    public int positions() {
        return h * w;
    }

    /** From a saved tensor; {@code grid} ("HxW") places attention tokens, or null to assume a square grid. */
    public static TokenMap of(HostTensor t, String grid) {
        long[] s = t.shape();
        float[] all = t.toFloats();
        return switch (s.length) {
            case 2 -> tokens(all, 0, (int) s[0], (int) s[1], grid);
            case 3 -> tokens(all, 0, (int) s[1], (int) s[2], grid);
            case 4 -> latents(all, (int) s[1], (int) s[2], (int) s[3]);
            default -> throw new IllegalArgumentException("cannot lay out a tensor of shape " + Arrays.toString(s)
                    + " on a grid: expected [B, N, C] tokens or [B, C, h, w] latents");
        };
    }

    private static TokenMap tokens(float[] all, int offset, int n, int c, String grid) {
        int[] hw = grid(grid, n);
        return new TokenMap(hw[0], hw[1], c, Arrays.copyOfRange(all, offset, offset + n * c));
    }

    private static TokenMap latents(float[] all, int c, int h, int w) {
        float[] out = new float[h * w * c];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) out[p * c + ch] = all[ch * h * w + p];
        }
        return new TokenMap(h, w, c, out);
    }

    /** The grid "HxW" when it holds n tokens, else the square grid of n, else an error. */
    static int[] grid(String grid, int n) {
        if (grid != null && grid.matches("\\d+x\\d+")) {
            String[] p = grid.split("x");
            int h = Integer.parseInt(p[0]);
            int w = Integer.parseInt(p[1]);
            if (h * w == n) return new int[] {h, w};
        }
        int side = (int) Math.round(Math.sqrt(n));
        if (side * side == n) return new int[] {side, side};
        throw new IllegalArgumentException(n + " tokens do not fit grid " + grid);
    }
}
