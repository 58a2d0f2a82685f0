package org.attnbench.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a cell runs, as stored with its result.
 *
 * @param id the cell's deterministic id: equal ids in two runs name the same measurement
 * @param backend runtime name ({@code onnxruntime}, {@code djl})
 * @param device {@code cpu} or {@code cuda:N}
 * @param dtype compute dtype ({@code float32}, {@code float16})
 * @param workload what the cell measures: one self-attention sub-block, a denoising loop, or a ceiling
 * @param model what the workload is built from: {@code attention-c320h8} (channels and heads) for an
 *     attention block, the UNet's name ({@code sd15}), or the ceiling's kind ({@code gemm}, {@code copy})
 * @param grid latent grid at full resolution, {@code HxW}
 * @param resolutionPx image side in pixels that grid corresponds to (8 pixels a latent); for a
 *     non-square UNet image the side of a square of as many pixels, so sizes order by pixel count
 *     ({@link #imageSize()} names the image exactly)
 * @param tokens tokens of the full-resolution level (height x width of the grid)
 * @param channels channels of the attention block (0 for other workloads)
 * @param heads heads of the attention block (0 for other workloads)
 * @param batch batch of one run
 * @param steps denoising steps of one sample (0 when the workload is not a loop)
 * @param variant the attention variant's canonical spec ({@code -} for ceilings)
 * @param family {@code dense}, {@code todo}, {@code tome}, {@code tome-kv}, {@code gemm} or {@code copy}
 * @param kernel the dense kernel under the variant ({@link Kernel#NONE} for ceilings)
 * @param referenceId the id of the cell this one is compared with (speedup, fidelity), or null
 * @param inputs what an attention block's token maps were made from ({@code synthetic}, {@code
 *     photos}, {@code gaussian}), the prompt set a denoising loop sampled ({@code prompts NAME (P
 *     prompts x N images)}), or null (seeded prompt states, ceilings, rows written before it was recorded)
 * @param modelClass the diffusers class of a denoising loop's model ({@code UNet2DConditionModel},
 *     {@code PixArtTransformer2DModel}), so reports chart each model family apart; null for other
 *     workloads (and read as a UNet in rows written before it was recorded)
 * @param params the variant's parameters as its canonical spec lists them ({@code factor -> 2});
 *     empty for ceilings (rows written before they were recorded take them from {@code variant})
 * @param variantLabel the variant's short name as its method writes it ({@code ToDo f=2}), so a report
 *     names it without parsing the spec; null for ceilings and in rows written before it was recorded
 */
public record CellInfo(String id, String backend, String device, String dtype, WorkloadKind workload, String model,
        String grid, int resolutionPx, long tokens, int channels, int heads, int batch, int steps, String variant,
        String family, Kernel kernel, String referenceId, String inputs, String modelClass, Map<String, String> params,
        String variantLabel) {

    public CellInfo {
        kernel = kernel == null ? Kernel.NONE : kernel;
        params = params == null ? paramsOf(variant) : Map.copyOf(params);
    }

    /** The diffusers class of every UNet this project builds. */
    public static final String UNET_CLASS = "UNet2DConditionModel";

    /** A cell without a record of its variant's label. */
    public CellInfo(String id, String backend, String device, String dtype, WorkloadKind workload, String model, String grid,
            int resolutionPx, long tokens, int channels, int heads, int batch, int steps, String variant, String family,
            Kernel kernel, String referenceId, String inputs, String modelClass, Map<String, String> params) {
        this(id, backend, device, dtype, workload, model, grid, resolutionPx, tokens, channels, heads, batch, steps,
                variant, family, kernel, referenceId, inputs, modelClass, params, null);
    }

    /** A cell whose parameters are those its spec lists. */
    public CellInfo(String id, String backend, String device, String dtype, WorkloadKind workload, String model, String grid,
            int resolutionPx, long tokens, int channels, int heads, int batch, int steps, String variant, String family,
            Kernel kernel, String referenceId, String inputs, String modelClass) {
        this(id, backend, device, dtype, workload, model, grid, resolutionPx, tokens, channels, heads, batch, steps,
                variant, family, kernel, referenceId, inputs, modelClass, null);
    }

    /** A cell without a record of its model's class. */
    public CellInfo(String id, String backend, String device, String dtype, WorkloadKind workload, String model, String grid,
            int resolutionPx, long tokens, int channels, int heads, int batch, int steps, String variant, String family,
            String kernel, String referenceId, String inputs) {
        this(id, backend, device, dtype, workload, model, grid, resolutionPx, tokens, channels, heads, batch, steps,
                variant, family, Kernel.of(kernel), referenceId, inputs, workload == WorkloadKind.DENOISING ? UNET_CLASS : null);
    }

    /** A cell without a record of its inputs. */
    public CellInfo(String id, String backend, String device, String dtype, WorkloadKind workload, String model, String grid,
            int resolutionPx, long tokens, int channels, int heads, int batch, int steps, String variant, String family,
            String kernel, String referenceId) {
        this(id, backend, device, dtype, workload, model, grid, resolutionPx, tokens, channels, heads, batch, steps,
                variant, family, kernel, referenceId, null);
    }

    /** A numeric parameter of the variant ({@code factor}, {@code ratio}); empty when it has none of that name. */
    public OptionalDouble number(String key) {
        try {
            String v = params.get(key);
            return v == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** The {@code key=value} pairs of a spec {@code family:key=value,...}; none for a ceiling's {@code -}. */
    public static Map<String, String> paramsOf(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        int colon = spec == null ? -1 : spec.indexOf(':');
        if (colon < 0) return Map.of();
        for (String kv : spec.substring(colon + 1).split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return Map.copyOf(out);
    }

    /** The model family of a denoising loop's cell (rows written before it was recorded ran UNets); null otherwise. */
    public String modelFamily() {
        if (workload != WorkloadKind.DENOISING) return null;
        return modelClass == null ? UNET_CLASS : modelClass;
    }

    /**
     * The image size as sizes are written: {@code 1024} for a square, {@code WIDTHxHEIGHT} for a
     * UNet image that is not (read from its latent grid, 8 pixels a cell).
     */
    public String imageSize() {
        String[] hw = grid == null ? new String[0] : grid.split("x");
        if (workload != WorkloadKind.DENOISING || hw.length != 2 || hw[0].equals(hw[1])) return Integer.toString(resolutionPx);
        return Integer.parseInt(hw[1]) * 8 + "x" + Integer.parseInt(hw[0]) * 8;
    }

    /** A short label for tables and legends: variant, or the ceiling's kind. */
    public String label() {
        return workload == WorkloadKind.CEILING ? model : variant;
    }
}
