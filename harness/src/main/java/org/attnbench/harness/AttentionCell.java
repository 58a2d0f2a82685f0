package org.attnbench.harness;

import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.metrics.timing.Samples;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.tensor.HostTensor;

/** One attention block on one backend and device: built, compiled, warmed up, timed. */
public record AttentionCell(String backend, Device device, AttentionShape shape, VariantSpec variant) {

    /** Timing samples and the last output. */
    public record Measurement(Samples samples, HostTensor output) {}

    public String grid() {
        return shape.height() + "x" + shape.width();
    }

    public Measurement measure(Map<String, HostTensor> weights, HostTensor input, int warmup, int iterations) {
        Backend b = Backends.byName(backend);
        Backends.requireAvailable(b, device);
        OnnxModel model = AttentionBlock.build(shape, variant, weights);
        Map<String, HostTensor> inputs = Map.of(AttentionBlock.INPUT, input);
        try (Executable exe = b.compile(model, device, CompileOptions.DEFAULT)) {
            HostTensor out = null;
            for (int i = 0; i < warmup; i++) out = exe.run(inputs).get(AttentionBlock.OUTPUT);
            double[] millis = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                out = exe.run(inputs).get(AttentionBlock.OUTPUT);
                millis[i] = (System.nanoTime() - t0) / 1e6;
            }
            return new Measurement(new Samples(millis), out);
        }
    }
}
