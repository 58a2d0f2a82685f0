package org.attnbench.workloads;

import java.util.Map;
import java.util.Random;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
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
final class CeilingWorkload extends GraphWorkload {
    static final int GEMM_N = 2048;
    static final int COPY_FLOATS = 32 << 20;

    /** The graph is float32; a float16 cell computes it in float16 where the backend lowers dtypes (DJL). */
    CeilingWorkload(String kind, Backend backend, Device device, CompileOptions options, long seed) {
        super(graph(kind), inputs(kind, seed), backend, device, options);
    }

    private static OnnxModel graph(String kind) {
        GraphBuilder g = new GraphBuilder(kind);
        if (kind.equals("gemm")) {
            Value a = g.input("a", DType.FLOAT32, GEMM_N, GEMM_N);
            Value b = g.input("b", DType.FLOAT32, GEMM_N, GEMM_N);
            g.output("c", g.matMul(a, b));
        } else {
            Value x = g.input("x", DType.FLOAT32, COPY_FLOATS);
            g.output("y", g.op("Neg", Map.of(), x));
        }
        return g.build();
    }

    private static Map<String, HostTensor> inputs(String kind, long seed) {
        return kind.equals("gemm") ? Map.of("a", uniform(seed, GEMM_N, GEMM_N), "b", uniform(seed + 1, GEMM_N, GEMM_N))
                : Map.of("x", uniform(seed, COPY_FLOATS));
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
    public HostTensor output(int s) {
        return null;
    }
}
