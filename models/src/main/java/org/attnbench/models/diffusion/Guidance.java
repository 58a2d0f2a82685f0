package org.attnbench.models.diffusion;

/**
 * How a model takes the guidance scale a run asks for: classifier-free (the prompt and the empty
 * prompt as a batch of 2, when the scale is above 1), as an input of the model (Flux.1-dev's
 * guidance embedding, one batch entry), or not at all (Flux.1-schnell is guidance-distilled).
 */
public record Guidance(double scale, Kind kind) {
    public enum Kind { CLASSIFIER_FREE, EMBEDDED, NONE }

    public static Guidance classifierFree(double scale) {
        return new Guidance(scale, Kind.CLASSIFIER_FREE);
    }

    public static Guidance embedded(double scale) {
        return new Guidance(scale, Kind.EMBEDDED);
    }

    public static Guidance none() {
        return new Guidance(1, Kind.NONE);
    }

    /** The model's batch per image: 2 for classifier-free guidance above 1, else 1. */
    public int batch() {
        return kind == Kind.CLASSIFIER_FREE && scale > 1 ? 2 : 1;
    }

    public boolean embedded() {
        return kind == Kind.EMBEDDED;
    }

    /** "7.5 (batch 2)" for classifier-free guidance, "3.5 embedded in the model (batch 1)", "none, guidance-distilled (batch 1)". */
    public String describe() {
        String batch = " (batch " + batch() + ")";
        return switch (kind) {
            case CLASSIFIER_FREE -> scale + batch;
            case EMBEDDED -> scale + " embedded in the model" + batch;
            case NONE -> "none, guidance-distilled" + batch;
        };
    }
}
