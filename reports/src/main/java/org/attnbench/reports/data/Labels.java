package org.attnbench.reports.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.methods.Methods;
import org.attnbench.methods.Variant;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/**
 * Short names for what readers compare: variants ("ToDo f=2"), backends ("ONNX Runtime") and
 * sizes ("512 px"). Legends name a series by the dimensions that vary in the data shown, so a
 * one-device run does not repeat "cpu" in every label.
 */
public final class Labels {
    private final Map<String, String> variants;
    private final boolean devices;
    private final boolean dtypes;

    /** Labels for a set of rows: a device or dtype appears in series names only when it varies there. */
    public Labels(List<ResultRow> rows) {
        Map<String, String> recorded = new HashMap<>();
        for (ResultRow r : rows) if (r.cell().variantLabel() != null) recorded.putIfAbsent(r.cell().variant(), r.cell().variantLabel());
        this.variants = variants(rows.stream().map(r -> r.cell().variant()).toList(), recorded);
        this.devices = RunData.distinct(rows, r -> r.cell().device()).size() > 1;
        this.dtypes = RunData.distinct(rows, r -> r.cell().dtype()).size() > 1;
    }

    public String variant(String spec) {
        return variants.getOrDefault(spec, methodLabel(spec));
    }

    /** Variant and backend, plus device and dtype where those vary: one series of a chart. */
    public String series(CellInfo c) {
        return (c.workload() == WorkloadKind.CEILING ? c.model() + " ceiling" : variant(c.variant())) + " · " + where(c);
    }

    /** Backend, plus device and dtype where those vary. */
    public String where(CellInfo c) {
        StringBuilder s = new StringBuilder(backend(c.backend()));
        if (devices) s.append(' ').append(c.device());
        if (dtypes) s.append(' ').append(c.dtype());
        return s.toString();
    }

    /** Variant, where and size: one cell among many ("ToDo f=2 · DJL · 512 px"). */
    public String cell(CellInfo c) {
        return c.workload() == WorkloadKind.CEILING ? series(c) : series(c) + " · " + size(c);
    }

    public static String backend(String name) {
        return switch (name) {
            case "onnxruntime" -> "ONNX Runtime";
            case "djl" -> "DJL";
            default -> name;
        };
    }

    /** "512 px". */
    public static String size(CellInfo c) {
        return c.imageSize() + " px";
    }

    /** "512 px (64x64)", with the latent grid when there is one. */
    public static String sizeWithGrid(CellInfo c) {
        return c.grid() == null || c.grid().isBlank() ? size(c) : size(c) + " (" + c.grid() + ")";
    }

    /** A denoising loop's model family as readers name it: "UNet", "PixArt transformer" (or its diffusers class). */
    public static String modelFamily(CellInfo c) {
        String cls = c.modelFamily();
        if (cls == null) return c.workload().toString();
        return switch (cls) {
            case CellInfo.UNET_CLASS -> "UNet";
            case "PixArtTransformer2DModel" -> "PixArt transformer";
            default -> cls;
        };
    }

    /** The model families of some loop cells, for titles: "UNet", "UNet and PixArt transformer". */
    public static String modelFamilies(List<ResultRow> cells) {
        return String.join(" and ", cells.stream().map(r -> modelFamily(r.cell())).distinct().toList());
    }

    /** "1024 px", or "pixart-sigma 1024 px" where the cells span more than one model. */
    public static String modelSize(List<ResultRow> cells, CellInfo c) {
        boolean models = RunData.distinct(cells, r -> r.cell().model()).size() > 1;
        return models ? c.model() + " " + size(c) : size(c);
    }

    /** Every cell's full description, for lists: "ONNX Runtime cpu float32 · attention sd15-level1 512 px (64x64) · todo:...". */
    public static String full(CellInfo c) {
        return context(c) + " · " + c.label();
    }

    /** Everything about a cell but its variant: where and what it ran. */
    public static String context(CellInfo c) {
        String where = c.workload() == WorkloadKind.DENOISING ? modelFamily(c) + " " + c.model() + ", " + c.steps() + " steps"
                : c.workload() == WorkloadKind.CEILING ? "ceiling " + c.model() : c.workload() + " " + c.model();
        String size = c.workload() == WorkloadKind.CEILING ? "" : " " + sizeWithGrid(c);
        String inputs = c.inputs() == null ? "" : ", " + c.inputs() + " inputs";
        return backend(c.backend()) + " " + c.device() + " " + c.dtype() + " · " + where + size + inputs;
    }

    /** Readable names for variant specs, falling back to the spec itself wherever two would read alike. */
    static Map<String, String> variants(Collection<String> specs) {
        return variants(specs, Map.of());
    }

    /** As above, each spec named by the label its row recorded where it has one. */
    static Map<String, String> variants(Collection<String> specs, Map<String, String> recorded) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, List<String>> byLabel = new HashMap<>();
        for (String spec : specs) {
            if (spec == null || out.containsKey(spec)) continue;
            String label = recorded.getOrDefault(spec, methodLabel(spec));
            out.put(spec, label);
            byLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(spec);
        }
        for (List<String> same : byLabel.values()) {
            if (same.size() > 1) same.forEach(s -> out.put(s, s));
        }
        return out;
    }

    /** A method family's name: "ToDo", "ToMe", "ToMe-KV", "dense". */
    public static String familyName(String family) {
        return Methods.displayName(family);
    }

    /**
     * The method's own label ("ToDo f=2 [fused]") for a row written before rows recorded it, or the
     * spec as written when it no longer parses.
     */
    static String methodLabel(String spec) {
        try {
            return Variant.parse(spec).label();
        } catch (UserError e) {
            return spec;
        }
    }
}
