package org.attnbench.dit;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
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
        Map<String, HostTensor> out = new java.util.LinkedHashMap<>();
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
}
