package org.attnbench.models.attention;

import java.util.List;

/**
 * How an attention core is computed, whatever feeds it: plain matmul-softmax-matmul, the same in
 * query slices ({@code slice} queries at a time), or a fused operator.
 */
public record Kernel(String name, int slice) {
    public static final Kernel MATMUL = new Kernel("matmul", 0);
    /** The kernels by name. */
    public static final List<String> NAMES = List.of("fused", "matmul");

    /** ",kernel=fused", ",slice=512" or nothing: what a spec adds for a kernel other than plain matmul. */
    public String suffix() {
        StringBuilder s = new StringBuilder();
        if (!name.equals("matmul")) s.append(",kernel=").append(name);
        if (slice > 0) s.append(",slice=").append(slice);
        return s.toString();
    }

    /** " [fused]", " [slice 512]" or nothing, for labels. */
    public String labelSuffix() {
        return (name.equals("matmul") ? "" : " [" + name + "]") + (slice > 0 ? " [slice " + slice + "]" : "");
    }
}
