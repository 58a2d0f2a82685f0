package org.attnbench.models.attention;

import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.reference.AttentionWeights;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * The self-attention sub-block of a diffusers BasicTransformerBlock as one graph:
 * {@code out = x + to_out(attn(to_q(n), to_k(kv), to_v(kv)))}, {@code n = LayerNorm(x)}, where the
 * method decides kv (dense: n; ToDo: n downsampled on the grid; tome-kv: n merged) or wraps the
 * whole attention in merge/unmerge (ToMe). Input and output are both {@code hidden_states} [B,N,C].
 */
public final class AttentionBlock {
    public static final String INPUT = "hidden_states";
    public static final String OUTPUT = "hidden_states_out";
    public static final float LAYER_NORM_EPS = 1e-5f;

    private AttentionBlock() {}

    public static OnnxModel build(AttentionShape shape, TokenPatch method, Map<String, HostTensor> weights) {
        BlockWeights.validate(weights, shape.channels());
        Map<String, HostTensor> w = BlockWeights.asFloat32(weights);
        GraphBuilder g = new GraphBuilder("attention_" + method.name());
        Value x = g.input(INPUT, DType.FLOAT32, shape.batch(), shape.tokens(), shape.channels());
        Value n;
        try (var s = g.scope("norm1")) {
            n = g.op("LayerNormalization", Map.of("axis", -1L, "epsilon", LAYER_NORM_EPS), x,
                    g.weight(AttentionWeights.NORM_WEIGHT, w::get), g.weight(AttentionWeights.NORM_BIAS, w::get));
        }
        Value attended;
        try (var s = g.scope("attn1")) {
            SelfAttention attn1 = new SelfAttention(g, "attn1", name -> g.weight(name, w::get));
            attended = method.atBlock(1).rewrite(g, x, shape.height(), shape.width()).selfAttention(attn1, n, shape.heads());
        }
        g.output(OUTPUT, g.add(x, attended));
        return g.build();
    }
}
