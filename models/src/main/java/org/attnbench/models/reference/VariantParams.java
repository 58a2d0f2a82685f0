package org.attnbench.models.reference;

import org.attnbench.models.attention.DownsampleMethod;

/**
 * Which attention variant the reference block runs, with its parameters.
 *
 * <p>Each method maps its parsed spec onto one of these records ({@code VariantSpec.reference()});
 * the records only check that their own values are in range.
 */
public sealed interface VariantParams
        permits VariantParams.DenseParams, VariantParams.TodoParams, VariantParams.TomeParams {

    /** Plain self-attention: keys and values from all N normalized tokens. */
    record DenseParams() implements VariantParams {}

    /**
     * ToDo: keys and values from the normalized tokens downsampled on the h x w grid by
     * {@code factor}; queries stay at full resolution. Factor 1 is dense.
     */
    record TodoParams(int factor, DownsampleMethod method) implements VariantParams {
        public TodoParams {
            if (factor < 1) {
                throw new IllegalArgumentException("ToDo factor must be >= 1, got " + factor);
            }
            if (method == null) {
                throw new IllegalArgumentException("ToDo downsample method is required");
            }
        }
    }

    /**
     * ToMe with tomesd's random 2-D bipartite soft matching.
     *
     * @param ratio fraction of all N tokens to merge away ({@code r = int(N * ratio)}); at most
     *     {@link #maxRatio(int, int) 1 - 1/(sx*sy)}
     * @param sx destination cell width in tokens
     * @param sy destination cell height in tokens
     * @param useRand pick a random destination in each cell (forced off for an odd batch)
     * @param seed seed of the destination choice when {@code useRand} is on. tomesd draws a fresh
     *     partition on every call from one generator; here a seed fixes one partition, so a run
     *     that models many steps or blocks should pass a different seed for each
     * @param kvOnly ToDo's secondary method: merge only the K/V source, keep all queries, no unmerge
     */
    record TomeParams(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly)
            implements VariantParams {
        public TomeParams {
            if (sx < 1 || sy < 1) {
                throw new IllegalArgumentException("ToMe cell size must be >= 1, got sx=" + sx + ", sy=" + sy);
            }
            double cap = maxRatio(sx, sy);
            if (!(ratio >= 0.0) || ratio > cap) {
                throw new IllegalArgumentException(String.format(
                        "ToMe ratio %s is outside [0, %s]: with sx=%d, sy=%d only sx*sy-1 of every sx*sy tokens"
                                + " can merge, so the cap is 1 - 1/(sx*sy)", ratio, cap, sx, sy));
            }
        }

        /** The largest ratio that can be honoured: one token per sx x sy cell must stay a destination. */
        public static double maxRatio(int sx, int sy) {
            return 1.0 - 1.0 / (sx * sy);
        }
    }
}
