package org.attnbench.reports.tables;

import java.util.List;

/**
 * What the papers report, as published, so a report can set measured values beside them.
 *
 * <p>ToDo: Smith, Saxena and Saha, "ToDo: Token Downsampling for Efficient Generation of
 * High-Resolution Images", arXiv 2402.13573 (2024). Table 1: 1536 × 1536 px, DreamShaper v7
 * (an SD 1.5 fine-tune), DDIM 50 steps, guidance 7.5, 10 prompts; MSE of the final image against
 * the dense baseline; HPF the mean absolute magnitude after high-pass filtering. Headline: up to
 * 2× faster at common sizes and 4.5× or more at 2048 × 2048 (RTX A6000, fp16, flash attention).
 * The paper reports no FID.
 *
 * <p>ToMe for SD: Bolya and Hoffman, "Token Merging for Fast Stable Diffusion" (2023): SD 1.5 at
 * 512 × 512, ratio 0.5, 1.87× faster (RTX 4090, fp16, 50 PLMS steps).
 */
public final class PaperClaims {
    private PaperClaims() {}

    public static final String TODO_SOURCE = "ToDo (arXiv 2402.13573)";
    public static final String TOME_SOURCE = "ToMe for SD (Bolya & Hoffman 2023)";

    /** The image side of the paper's Table 1. */
    public static final int TABLE1_PX = 1536;
    /** The largest size of the headline speedup claim. */
    public static final int LARGE_PX = 2048;
    /** "Common sizes": up to this side. */
    public static final int COMMON_MAX_PX = 1024;

    /**
     * One row of Table 1.
     *
     * @param method as the paper names it
     * @param family the variant family that reproduces it ({@code dense}, {@code todo}, {@code tome})
     * @param key the parameter that identifies it ({@code factor} or {@code ratio}), or null
     * @param value that parameter's value
     * @param tokenRatio the share of key/value tokens removed, as the paper's column says it
     * @param mse the paper's MSE, NaN for the baseline
     * @param hpf the paper's HPF
     */
    public record Table1Row(String method, String family, String key, double value, String tokenRatio, double mse,
            double hpf) {}

    public static final List<Table1Row> TABLE_1 = List.of(
            new Table1Row("dense baseline", "dense", null, Double.NaN, "–", Double.NaN, 4.846),
            new Table1Row("ToMe", "tome", "ratio", 0.75, "0.75", 2.686e-2, 4.022),
            new Table1Row("ToMe", "tome", "ratio", 0.89, "0.89", 2.671e-2, 4.003),
            new Table1Row("ToDo", "todo", "factor", 2, "0.75 (f=2)", 6.247e-3, 4.887),
            new Table1Row("ToDo", "todo", "factor", 3, "0.89 (f=3)", 9.207e-3, 4.733));

    /**
     * A headline speedup claim.
     *
     * @param claim what is claimed
     * @param source who claims it
     * @param paper the claimed value, as worded
     * @param times the claimed speedup as a number (the bound where the wording gives one)
     * @param conditions how it was measured
     * @param family the variant family it is about
     * @param minPx smallest size it covers
     * @param maxPx largest size it covers
     * @param key parameter that must match, or null
     * @param value that parameter's value
     */
    public record SpeedupClaim(String claim, String source, String paper, double times, String conditions, String family,
            int minPx, int maxPx, String key, double value) {

        /** Whether the claim covers this family at this size. */
        public boolean covers(String cellFamily, int px) {
            return family.equals(cellFamily) && px >= minPx && px <= maxPx;
        }
    }

    public static final List<SpeedupClaim> SPEEDUPS = List.of(
            new SpeedupClaim("ToDo at common sizes (up to 1024 px)", TODO_SOURCE, "up to 2×", 2.0,
                    "RTX A6000, fp16, flash attention, whole image generation", "todo", 0, COMMON_MAX_PX, null, Double.NaN),
            new SpeedupClaim("ToDo at 2048 px", TODO_SOURCE, "4.5× or more", 4.5,
                    "RTX A6000, fp16, flash attention, whole image generation", "todo", LARGE_PX, LARGE_PX, null,
                    Double.NaN),
            new SpeedupClaim("ToMe at 512 px, ratio 0.5", TOME_SOURCE, "1.87×", 1.87,
                    "RTX 4090, fp16, SD 1.5, 50 PLMS steps", "tome", 512, 512, "ratio", 0.5));
}
