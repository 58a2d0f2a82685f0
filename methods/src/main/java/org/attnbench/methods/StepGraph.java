package org.attnbench.methods;

import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.GraphForm;

/**
 * One compiled graph a denoising loop may run: the token method's patch (where its schedule stands)
 * in one form of the network. Two are equal when they describe alike (a patch's line names its graph).
 */
public record StepGraph(TokenPatch patch, GraphForm form) {
    /** The whole model under a patch. */
    public static StepGraph whole(TokenPatch patch) {
        return new StepGraph(patch, GraphForm.WHOLE);
    }

    /** The patch's line, then the form in braces where it is not the whole model; equal lines, equal graphs. */
    public String describe() {
        return form.describe().isEmpty() ? patch.describe() : patch.describe() + " {" + form.describe() + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepGraph other && other.describe().equals(describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }
}
