package org.attnbench.store;

/**
 * The dense attention kernel under a cell's variant: {@code matmul}, {@code fused}, or matmul over
 * query slices of {@code slice} rows; {@link #NONE} for ceilings. Stored as one word ({@code
 * matmul}, {@code fused}, {@code slice=S}, {@code -}), as rows always had it.
 */
public record Kernel(String name, int slice) {
    public static final Kernel NONE = new Kernel("-", 0);

    /** The kernel a stored word names. */
    public static Kernel of(String word) {
        if (word == null || word.isBlank() || word.equals("-")) return NONE;
        if (!word.startsWith("slice=")) return new Kernel(word, 0);
        try {
            return new Kernel("matmul", Integer.parseInt(word.substring("slice=".length())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel '" + word + "' is not slice=<rows>");
        }
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** As stored: {@code fused}, {@code slice=512}. */
    @Override
    public String toString() {
        return slice > 0 ? "slice=" + slice : name;
    }
}
