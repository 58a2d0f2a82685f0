package org.attnbench.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;

/** What the DiT forward tests share: drawn tensors, a source over them, and the comparison with a float64 reference. */
final class DitTesting {
    private DitTesting() {}

    /** N(0, scale^2) values of the given shape, Box-Muller from {@code rng}. */
    static HostTensor gaussian(SplittableRandom rng, double scale, long... shape) {
        float[] v = new float[(int) HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble()));
        }
        return HostTensor.of(v, shape);
    }

    /** Every weight of {@code shapes} drawn with scale 0.3 from seed 7 (biases and modulations too, so each term counts). */
    static Map<String, HostTensor> drawn(Map<String, long[]> shapes) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(7);
        shapes.forEach((name, shape) -> out.put(name, gaussian(rng, 0.3, shape)));
        return out;
    }

    static WeightSource source(Map<String, HostTensor> weights) {
        return new WeightSource() {
            public Optional<HostTensor> tensor(String name) {
                return Optional.ofNullable(weights.get(name));
            }

            public Set<String> names() {
                return weights.keySet();
            }

            public String describe() {
                return "drawn weights";
            }
        };
    }

    /** Each element within {@code tolerance} of the reference, relative to its largest magnitude when above 1. */
    static void assertClose(double[] expected, float[] got, double tolerance, String what) {
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - got[i]);
            if (!(err <= tolerance * Math.max(1, scale))) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", reference " + expected[i]
                        + " (max |ref| " + scale + ")");
            }
        }
    }

    /** Batch entry b of [B, C, H, W] as [C][H][W] in float64. */
    static double[][][] image(HostTensor t, int b) {
        long[] s = t.shape();
        int c = (int) s[1], h = (int) s[2], w = (int) s[3];
        float[] v = t.toFloats();
        double[][][] out = new double[c][h][w];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) out[ch][i][j] = v[((b * c + ch) * h + i) * w + j];
        }
        return out;
    }

    /** Batch entry b of [B, L, D] as [L][D] in float64. */
    static double[][] rows(HostTensor t, int b) {
        int l = (int) t.shape()[1], d = (int) t.shape()[2];
        float[] v = t.toFloats();
        double[][] out = new double[l][d];
        for (int i = 0; i < l; i++) for (int k = 0; k < d; k++) out[i][k] = v[(b * l + i) * d + k];
        return out;
    }

    /** Batch entry b of [B, D] in float64. */
    static double[] vector(HostTensor t, int b) {
        int d = (int) t.shape()[1];
        float[] v = t.toFloats();
        double[] out = new double[d];
        for (int k = 0; k < d; k++) out[k] = v[b * d + k];
        return out;
    }

    /** Per-image predictions [C][H][W], flattened in batch order as a graph's [B, C, H, W] output. */
    static double[] flatten(double[][][][] images) {
        int n = 0;
        for (double[][][] img : images) n += img.length * img[0].length * img[0][0].length;
        double[] out = new double[n];
        int at = 0;
        for (double[][][] img : images) for (double[][] plane : img) for (double[] row : plane) for (double v : row) out[at++] = v;
        return out;
    }

    /** ToDo at factor 1 and ToMe at ratio 0 give dense's output on the backend; run: (backend, variant) to the output. */
    static void assertIdentitiesEqualDense(String backend, BiFunction<String, String, float[]> run) {
        float[] dense = run.apply(backend, "dense");
        for (String identity : new String[] {"todo:factor=1", "tome:ratio=0"}) {
            assertArrayEquals(dense, run.apply(backend, identity), 1e-6f, backend + " " + identity);
        }
    }
}
