package org.attnbench.models.attention;

import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/**
 * ToDo's D: the tokens [B,N,C] seen as a [B,C,h,w] grid, downsampled by an integer factor to
 * [B,C,h//f,w//f] (floor, as the reference code does) and flattened back to [B,N',C].
 *
 * <p>Output sizes are h//f and w//f, so like PyTorch's F.interpolate(size=...) the source scale
 * is in/out, which equals f exactly when f divides the grid. Nearest modes become one Gather of
 * precomputed token indices (no layout change at all); pooling and bilinear go through the
 * [B,C,h,w] layout and ONNX's pooling and Resize operators.
 */
final class TodoDownsample {
    private TodoDownsample() {}

    static Value apply(GraphBuilder g, Value n, int h, int w, int factor, DownsampleMethod method) {
        int oh = h / factor;
        int ow = w / factor;
        if (oh < 1 || ow < 1) {
            throw new org.attnbench.core.UserError("todo factor " + factor + " does not fit the " + h + "x" + w
                    + " grid: the downsampled grid would be empty; use a factor <= " + Math.min(h, w));
        }
        if (factor == 1) return n;
        return switch (method) {
            case NEAREST, NEAREST_EXACT -> g.op("Gather", Map.of("axis", 1L), n,
                    g.constLongs(nearestTokens(h, w, oh, ow, method == DownsampleMethod.NEAREST_EXACT)));
            case AVG_POOL, MAX_POOL -> throughGrid(g, n, h, w, grid -> g.op(
                    method == DownsampleMethod.AVG_POOL ? "AveragePool" : "MaxPool",
                    Map.of("kernel_shape", new long[] {factor, factor}, "strides", new long[] {factor, factor}), grid));
            case BILINEAR -> throughGrid(g, n, h, w, grid -> g.op("Resize",
                    Map.of("mode", "linear", "coordinate_transformation_mode", "pytorch_half_pixel"),
                    grid, null, null, g.constLongs(grid.dim(0), grid.dim(1), oh, ow)));
        };
    }

    /** Row-major token index of the source of every output cell. */
    static long[] nearestTokens(int h, int w, int oh, int ow, boolean exact) {
        long[] idx = new long[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                idx[i * ow + j] = (long) source(i, h, oh, exact) * w + source(j, w, ow, exact);
            }
        }
        return idx;
    }

    /** PyTorch's nearest source index with scale in/out: floor(i*s) or, exact, floor((i+0.5)*s). */
    static int source(int i, int in, int out, boolean exact) {
        double scale = (double) in / out;
        int s = (int) Math.floor(exact ? (i + 0.5) * scale : i * scale);
        return Math.min(s, in - 1);
    }

    private static Value throughGrid(GraphBuilder g, Value n, int h, int w,
                                     java.util.function.UnaryOperator<Value> op) {
        long b = n.dim(0);
        long c = n.dim(2);
        Value grid = g.reshape(g.transpose(n, 0, 2, 1), b, c, h, w);
        Value small = op.apply(grid);
        return g.transpose(g.reshape(small, b, c, small.dim(2) * small.dim(3)), 0, 2, 1);
    }
}
