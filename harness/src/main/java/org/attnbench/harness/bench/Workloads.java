package org.attnbench.harness.bench;

import java.util.Map;
import java.util.Random;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** The graphs the benchmarks run: SD 1.5 level-1 self-attention blocks and one square GEMM. */
public final class Workloads {
    /** SD 1.5 level 1: 320 channels in 8 heads of 40; batch 1. */
    public static final int CHANNELS = 320;
    public static final int HEADS = 8;
    /** The GEMM ceiling: [N x N] x [N x N] in fp32. */
    public static final int GEMM_N = 2048;
    public static final String GEMM_A = "a";
    public static final String GEMM_B = "b";
    public static final String GEMM_OUT = "c";
    static final long SEED = 0;

    private Workloads() {}

    public static AttentionShape shape(String grid) {
        int[] hw = AttentionShape.parseGrid(grid);
        return new AttentionShape(1, hw[0], hw[1], CHANNELS, HEADS);
    }

    public static OnnxModel attention(String grid, String variant) {
        return AttentionBlock.build(shape(grid), VariantSpec.parse(variant), BlockWeights.random(SEED, CHANNELS));
    }

    public static OnnxModel gemm() {
        GraphBuilder g = new GraphBuilder("gemm");
        Value a = g.input(GEMM_A, DType.FLOAT32, GEMM_N, GEMM_N);
        Value b = g.input(GEMM_B, DType.FLOAT32, GEMM_N, GEMM_N);
        g.output(GEMM_OUT, g.matMul(a, b));
        return g.build();
    }

    public static Map<String, HostTensor> gemmInputs() {
        return Map.of(GEMM_A, uniform(SEED), GEMM_B, uniform(SEED + 1));
    }

    /** Floating-point operations of one run of a benchmark cell, from the graph's cost model. */
    public static double flops(JmhResult r) {
        OnnxModel model = r.isGemm() ? gemm() : attention(r.param("grid"), r.param("variant"));
        return GraphCost.of(model.proto()).flops();
    }

    /**
     * Whether a cell needs the full score matrices of dense matmul attention at 128x128 or above
     * (8 x 16384^2 floats, twice over: about 17 GB and about 10 s a run on a 2-core CPU).
     */
    public static boolean oversized(String grid, String variant) {
        VariantSpec v = VariantSpec.parse(variant);
        return v instanceof VariantSpec.Dense && v.kernel().equals(VariantSpec.Kernel.MATMUL)
                && shape(grid).tokens() >= 128 * 128;
    }

    private static HostTensor uniform(long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[GEMM_N * GEMM_N];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() - 0.5f;
        return HostTensor.of(v, GEMM_N, GEMM_N);
    }
}
