package org.attnbench.methods.token;

import java.util.List;
import org.attnbench.methods.Methods;
import org.attnbench.methods.TokenMethod;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;

/** Plain attention: every token a query and a key, the network as it is, on the kernel the spec names. */
public record Dense(Kernel kernel) implements TokenMethod {
    public static final Methods.Entry METHOD = new Methods.Entry("dense", "dense", p -> new Dense(p.kernel()), Dense.class,
            List.of());

    public String family() {
        return METHOD.name();
    }

    public String canonical() {
        return patch().name();
    }

    /** "dense [naive]" for plain matmul, so no reader takes the slowest kernel for dense attention as users run it. */
    public String label() {
        return "dense" + (kernel.equals(Kernel.MATMUL) ? " [naive]" : kernel.labelSuffix());
    }

    public TokenPatch patch() {
        return TokenPatch.unpatched(kernel);
    }

    public Dense withKernel(Kernel k) {
        return new Dense(k);
    }
}
