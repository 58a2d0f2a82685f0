package org.attnbench.models.attention;

import java.util.List;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.reference.VariantParams;

/** Plain self-attention: keys and values from all N tokens, with the kernel the spec names. */
public record Dense(Kernel kernel) implements VariantSpec {
    public static final Methods.Method METHOD = new Methods.Method("dense", "dense", (p, kernel) -> new Dense(kernel), List.of());

    public String family() {
        return METHOD.name();
    }

    public String canonical() {
        return "dense" + VariantSpec.colon(kernel.suffix());
    }

    /** "dense [naive]" for plain matmul, so no reader takes the slowest kernel for dense attention as users run it. */
    public String label() {
        return "dense" + (kernel.equals(Kernel.MATMUL) ? " [naive]" : kernel.labelSuffix());
    }

    public VariantParams reference() {
        return new VariantParams.DenseParams();
    }

    public BlockRewrite rewrite(GraphBuilder g, Value x, int h, int w) {
        return (attn1, n, heads) -> attn1.attention(Tokens.all(n), Tokens.all(n), heads, kernel);
    }
}
