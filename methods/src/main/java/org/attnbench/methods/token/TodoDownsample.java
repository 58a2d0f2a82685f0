package org.attnbench.methods.token;

import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.HostTensor;

/**
 * ToDo's D: the tokens [B,N,C] seen as a [B,C,h,w] grid, downsampled by an integer factor to
 * [B,C,h//f,w//f] (floor, as the reference code does) and flattened back to [B,N',C].
 *
 * <p>Output sizes are h//f and w//f, so like PyTorch's F.interpolate(size=...) the source scale
 * is in/out, which equals f exactly when f divides the grid. Nearest modes become one Gather of
 * precomputed token indices (no layout change at all), with PyTorch's float32 index arithmetic;
 * pooling, bilinear and bicubic go through the [B,C,h,w] layout and ONNX's pooling and Resize
 * operators; area (adaptive average pooling) is two small averaging matrices, one per axis.
 */
public final class TodoDownsample {
    /** PyTorch's bicubic coefficient. */
    private static final float CUBIC_A = -0.75f;

    private TodoDownsample() {}

    public static Value apply(GraphBuilder g, Value n, int h, int w, int factor, DownsampleMethod method) {
        int oh = h / factor;
        int ow = w / factor;
        if (oh < 1 || ow < 1) {
            throw new UserError("todo factor " + factor + " does not fit the " + h + "x" + w
                    + " grid: the downsampled grid would be empty; use a factor <= " + Math.min(h, w));
        }
        if (factor == 1) return n;
        return switch (method) {
            case NEAREST, NEAREST_EXACT -> g.op("Gather", Map.of("axis", 1L), n,
                    g.constLongs(nearestTokens(h, w, oh, ow, method == DownsampleMethod.NEAREST_EXACT)));
            case AVG_POOL, MAX_POOL -> throughGrid(g, n, h, w, grid -> g.op(
                    method == DownsampleMethod.AVG_POOL ? "AveragePool" : "MaxPool",
                    Map.of("kernel_shape", new long[] {factor, factor}, "strides", new long[] {factor, factor}), grid));
            case BILINEAR -> throughGrid(g, n, h, w, grid -> resize(g, grid, oh, ow,
                    Map.of("mode", "linear", "coordinate_transformation_mode", "pytorch_half_pixel")));
            case BICUBIC -> throughGrid(g, n, h, w, grid -> resize(g, grid, oh, ow,
                    Map.of("mode", "cubic", "cubic_coeff_a", CUBIC_A, "coordinate_transformation_mode", "pytorch_half_pixel")));
            case AREA -> throughGrid(g, n, h, w, grid -> {
                Value rows = g.matMul(areaMatrix(g, h, oh), grid);                          // [B,C,oh,w]
                return g.matMul(rows, g.transpose(areaMatrix(g, w, ow), 1, 0));              // [B,C,oh,ow]
            });
        };
    }

    /**
     * The positions the downsampled tokens carry, from the block's per-token positions [B, N, k]:
     * the same downsampling, so a nearest key keeps its own token's position and a pooled or
     * interpolated key the mean (interpolation) of the positions it is made of, the centre of its
     * cell. Max pooling takes each channel from whichever token of the cell is largest, so its keys
     * take the cell's centre too.
     */
    public static Value positions(GraphBuilder g, Value positions, int h, int w, int factor, DownsampleMethod method) {
        return apply(g, positions, h, w, factor, method == DownsampleMethod.MAX_POOL ? DownsampleMethod.AVG_POOL : method);
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

    /**
     * PyTorch's nearest source index for a float32 tensor: the scale is the float in/out and the
     * product is rounded to float before the floor, which decides ties next to an integer.
     */
    static int source(int i, int in, int out, boolean exact) {
        if (in == out) return i;
        float scale = (float) in / out;
        float pos = exact ? (float) ((i + 0.5) * scale) : i * scale;
        return Math.min((int) Math.floor(pos), in - 1);
    }

    /** [out, in] matrix averaging the cells [floor(i*in/out), ceil((i+1)*in/out)) of adaptive pooling. */
    private static Value areaMatrix(GraphBuilder g, int in, int out) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) Math.floor((double) i * in / out);
            int end = (int) Math.ceil((double) (i + 1) * in / out);
            for (int j = start; j < end; j++) m[i * in + j] = 1f / (end - start);
        }
        return g.constant(HostTensor.of(m, out, in));
    }

    private static Value resize(GraphBuilder g, Value grid, int oh, int ow, Map<String, Object> attrs) {
        return g.op("Resize", attrs, grid, null, null, g.constLongs(grid.dim(0), grid.dim(1), oh, ow));
    }

    private static Value throughGrid(GraphBuilder g, Value n, int h, int w, java.util.function.UnaryOperator<Value> op) {
        long b = n.dim(0);
        long c = n.dim(2);
        Value grid = g.reshape(g.transpose(n, 0, 2, 1), b, c, h, w);
        Value small = op.apply(grid);
        return g.transpose(g.reshape(small, b, c, small.dim(2) * small.dim(3)), 0, 2, 1);
    }
}
