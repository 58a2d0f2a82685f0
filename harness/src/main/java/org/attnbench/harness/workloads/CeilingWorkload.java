package org.attnbench.harness.workloads;

import java.util.Map;
import java.util.Random;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A machine limit measured through the same backend path as every cell (inputs copied in,
 * outputs copied out):
 * <ul>
 *   <li>{@code gemm}: one fp32 MatMul [2048 x 2048] x [2048 x 2048], 17.2 GFLOP: the compute rate;
 *   <li>{@code copy}: Neg over 32 Mi floats (128 MiB read, 128 MiB written): the memory bandwidth.
 *       Neg rather than Identity or x + 0, which ONNX Runtime removes as no-ops.
 * </ul>
 */
final class CeilingWorkload implements CellWorkload {
    static final int GEMM_N = 2048;
    static final int COPY_FLOATS = 32 << 20;

    private final Executable executable;
    private final Map<String, HostTensor> inputs;
    private final GraphCost cost;

    CeilingWorkload(String kind, Backend backend, Device device, CompileOptions options, long seed) {
        GraphBuilder g = new GraphBuilder(kind);
        if (kind.equals("gemm")) {
            Value a = g.input("a", DType.FLOAT32, GEMM_N, GEMM_N);
            Value b = g.input("b", DType.FLOAT32, GEMM_N, GEMM_N);
            g.output("c", g.matMul(a, b));
            inputs = Map.of("a", uniform(seed, GEMM_N, GEMM_N), "b", uniform(seed + 1, GEMM_N, GEMM_N));
        } else {
            Value x = g.input("x", DType.FLOAT32, COPY_FLOATS);
            g.output("y", g.op("Neg", Map.of(), x));
            inputs = Map.of("x", uniform(seed, COPY_FLOATS));
        }
        OnnxModel model = g.build();
        cost = GraphCost.of(model.proto());
        executable = backend.compile(model, device, options);
    }

    private static HostTensor uniform(long seed, long... shape) {
        Random rnd = new Random(seed);
        float[] v = new float[(int) HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() - 0.5f;
        return HostTensor.of(v, shape);
    }

    @Override
    public String unit() {
        return "op";
    }

    @Override
    public void runOnce() {
        executable.run(inputs);
    }

    @Override
    public HostTensor output(int s) {
        return null;
    }

    @Override
    public double flops() {
        return cost.flops();
    }

    @Override
    public double bytes() {
        return cost.minimalBytes();
    }

    @Override
    public Map<String, String> settings() {
        return executable.settings();
    }

    @Override
    public void close() {
        executable.close();
    }
}
