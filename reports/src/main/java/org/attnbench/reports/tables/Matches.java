package org.attnbench.reports.tables;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.attnbench.reports.data.Labels;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/** Finding the cells of a run that correspond to a published number, and saying what they measured. */
final class Matches {
    private Matches() {}

    /**
     * Whether a cell is of the family, and (when a key is given) its parameter equals the value
     * within 0.01. Loops of other model families than the SD UNets the papers measured never match.
     */
    static boolean variant(ResultRow r, String family, String key, double value) {
        String modelFamily = r.cell().modelFamily();
        if (modelFamily != null && !modelFamily.equals(CellInfo.UNET_CLASS)) return false;
        if (!r.cell().family().equals(family)) return false;
        return key == null || r.cell().number(key).stream().anyMatch(v -> Math.abs(v - value) < 0.01);
    }

    /** Cells of a denoising loop if there are any (what the papers measure), else the rest. */
    static List<ResultRow> preferUnet(List<ResultRow> rows) {
        List<ResultRow> unet = rows.stream().filter(r -> r.cell().workload() == WorkloadKind.DENOISING).toList();
        return unet.isEmpty() ? rows : unet;
    }

    /** "6.1e-3 (ONNX Runtime), 6.2e-3 (DJL)": a value per cell, each named by what tells them apart. */
    static String values(List<ResultRow> rows, ToDoubleFunction<ResultRow> value,
            java.util.function.DoubleFunction<String> format) {
        Labels labels = new Labels(rows);
        boolean variants = rows.stream().map(r -> r.cell().variant()).distinct().count() > 1;
        return rows.stream().map(r -> format.apply(value.applyAsDouble(r)) + " (" + labels.where(r.cell())
                + (variants ? ", " + labels.variant(r.cell().variant()) : "") + ")").collect(Collectors.joining("; "));
    }

    /** "attention block, 1536 px": the workloads and sizes of some cells. */
    static String where(List<ResultRow> rows) {
        return rows.stream().map(r -> (r.cell().workload() == WorkloadKind.DENOISING ? Labels.modelFamily(r.cell()) + " " + r.cell().model() + ", "
                + r.cell().steps() + " steps" : r.cell().workload() + " block (" + r.cell().model() + ")") + ", "
                + Labels.size(r.cell())).distinct().collect(Collectors.joining("; "));
    }

    /** "; ran at 256, 512 px" for a variant that ran, but not at the size asked. */
    static String otherSizes(List<ResultRow> ofVariant) {
        List<Integer> px = ofVariant.stream().filter(ResultRow::ok).map(r -> r.cell().resolutionPx()).distinct().sorted()
                .toList();
        if (px.isEmpty()) return "";
        return "this run has it at " + px.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " px";
    }
}
