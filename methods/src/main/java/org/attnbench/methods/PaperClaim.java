package org.attnbench.methods;

/**
 * A speedup that a method's paper claims, as published, so reports can set measured values beside it.
 *
 * @param claim what is claimed, in a few words
 * @param source who claims it
 * @param paper the claimed value, as worded
 * @param times the claimed speedup as a number (the bound where the wording gives one)
 * @param conditions how it was measured
 * @param minPx smallest image side it covers
 * @param maxPx largest image side it covers
 * @param key the spec key that must match ({@code ratio}), or null
 * @param value that key's value
 * @param timed what the paper timed, which a measured speedup must share to stand beside the claim
 */
public record PaperClaim(String claim, String source, String paper, double times, String conditions, int minPx, int maxPx,
        String key, double value, Timed timed) {

    /**
     * What a paper's speedup is of: whole images of a model, over a dense attention kernel, on a
     * device in a precision. A measured speedup is of the same kind when it times whole images of
     * that model over a dense kernel of that kind; device and precision are stated beside it.
     *
     * @param model the bundled model name of the network it timed ({@code sd15})
     * @param modelName that network as readers know it
     * @param kernel the dense kernel its speedup is over, as cells record it ({@code fused}, {@code matmul})
     * @param kernelName that kernel as the paper names it
     * @param device the device kind it ran on ({@code cuda})
     * @param dtype its precision ({@code float16})
     */
    public record Timed(String model, String modelName, String kernel, String kernelName, String device, String dtype) {}
}
