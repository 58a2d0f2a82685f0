package org.attnbench.metrics.cost;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a model's step that time and FLOPs are split into, told apart by the naming scope
 * of each node ("down_blocks.0/attentions.0/transformer_blocks.0/attn1/MatMul"): self-attention
 * (what ToDo and ToMe change, with their own work inside it), the token matching of ToMe-style
 * merges, cross-attention, feed-forward, and the rest (convolutions, normalizations, resampling,
 * embeddings). Nodes a runtime adds or renames without a scope count as the rest.
 */
public enum StepPart {
    SELF_ATTENTION("self-attention", "attn1"),
    TOKEN_MATCHING("token matching", "tome"),
    CROSS_ATTENTION("cross-attention", "attn2"),
    FEED_FORWARD("feed-forward", "ff"),
    REST("convolutions and the rest", null);

    private final String label;
    private final String scope;

    StepPart(String label, String scope) {
        this.label = label;
        this.scope = scope;
    }

    public String label() {
        return label;
    }

    /** The part a node belongs to, from the innermost of these scopes in its name. */
    public static StepPart of(String nodeName) {
        String[] scopes = nodeName.split("/");
        for (int i = scopes.length - 2; i >= 0; i--) {
            for (StepPart p : values()) {
                if (scopes[i].equals(p.scope)) return p;
            }
        }
        return REST;
    }

    /** Sums a per-node quantity by part, keyed by label, in this enum's order. */
    public static Map<String, Double> sum(Map<String, Double> byNode) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (StepPart p : values()) out.put(p.label, 0.0);
        byNode.forEach((node, v) -> out.merge(of(node).label, v, Double::sum));
        return out;
    }
}
