package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;

/**
 * Every cell's image scores beside its speed, one table per feature extractor (scores of two
 * networks are never put in one column), named by what made them: FID for the standard FID
 * Inception with clean-fid's preprocessing, FID-like for any other network; the CLIP score against
 * the cells' prompts, named by its CLIP model. Each score stands with its 95% bootstrap interval over
 * the cell's images. The caption says when a cell's images are fewer than FID (about 5,000) or KID
 * (about 100) need to be stable.
 */
public final class FidelityTable {
    static final int FID_STABLE = 5000;
    static final int KID_STABLE = 100;

    private FidelityTable() {}

    public static List<Block> blocks(RunData run) {
        List<ResultRow> scored = run.rows().stream()
                .filter(r -> r.ok() && (r.quality().extractor() != null || r.quality().clipModel() != null)).toList();
        List<Block> out = new ArrayList<>();
        List<String> extractors = new ArrayList<>(scored.stream().map(r -> r.quality().extractor()).distinct().toList());
        for (int e = 0; e < extractors.size(); e++) {
            String label = extractors.get(e);
            List<ResultRow> rows = scored.stream().filter(r -> Objects.equals(label, r.quality().extractor())).toList();
            String fid = label == null ? null : label.startsWith("fid-inception ") ? "FID" : "FID-like";
            Quality.SetScores any = rows.stream().map(r -> r.quality().referenceSet()).filter(Objects::nonNull).findFirst().orElse(null);
            String set = any == null ? "reference set" : any.name();
            boolean clip = rows.stream().anyMatch(r -> Numbers.known(r.quality().clipScore()));
            List<String> headers = new ArrayList<>(List.of("backend", "size", "variant", "speedup [95% CI]", "MSE [95% CI]"));
            if (fid != null) headers.addAll(List.of(fid + " to dense", "KID to dense", fid + " to " + set, "KID to " + set));
            if (clip) headers.add("CLIP score [95% CI]");
            headers.add("images");
            TextTable t = new TextTable("fidelity-scores-" + (e + 1), headers);
            int fewest = Integer.MAX_VALUE;
            for (ResultRow r : rows) {
                Quality q = r.quality();
                Quality.SetScores s = q.referenceSet();
                int images = s != null ? s.cellImages() : q.samples();
                fewest = Math.min(fewest, images);
                List<String> cells = new ArrayList<>(List.of(Labels.backend(r.cell().backend()) + " " + r.cell().device() + " "
                        + r.cell().dtype(), Labels.sizeWithGrid(r.cell()), r.cell().label(),
                        RunData.compared(r) ? Numbers.speedup(r.speedup().ratio(), r.speedup().low(), r.speedup().high()) : "reference",
                        withInterval(q.mse(), q.interval("mse"), Numbers::sci)));
                if (fid != null) {
                    cells.add(withInterval(q.fidLike(), q.interval("fid_like"), Numbers::sig));
                    cells.add(withInterval(q.kid(), q.interval("kid"), Numbers::sci));
                    cells.add(s == null ? Numbers.NOT_MEASURED : withInterval(s.fid(), q.interval("fid_set"), Numbers::sig));
                    cells.add(s == null ? Numbers.NOT_MEASURED : withInterval(s.kid(), q.interval("kid_set"), Numbers::sci));
                }
                if (clip) cells.add(withInterval(q.clipScore(), q.interval("clip_score"), Numbers::sig));
                cells.add(Integer.toString(images));
                t.add(cells);
            }
            String clipModels = String.join("; ", rows.stream().map(r -> r.quality().clipModel()).filter(Objects::nonNull).distinct().toList());
            String caption = (label == null ? "" : "Features: " + label + ". ")
                    + (any == null ? "" : set + " holds " + any.setImages() + " images. ")
                    + (clip ? "CLIP score (torchmetrics' CLIPScore, each image against the prompt it was sampled from): "
                            + clipModels + ". " : "")
                    + (fid != null && fewest < FID_STABLE ? "Cells scored as few as " + fewest + " images: FID needs about " + FID_STABLE
                            + " to be stable" + (fewest < KID_STABLE ? " and KID about " + KID_STABLE : "")
                            + ", so these numbers compare this run's cells and are not to be set beside published ones. " : "")
                    + "Brackets: 95% percentile bootstrap intervals over the cell's images (drawn with replacement; against"
                    + " dense the same images from both cells; 2000 draws for MSE and CLIP score, 200 for FID and KID, FID's"
                    + " only up to 512 images; none below 2 images). A dash means not measured.";
            String title = fid == null ? "CLIP score of every cell" : fid + " and KID of every cell";
            out.add(new Block.TableBlock("fidelity-scores-" + (e + 1), title + (extractors.size() > 1 && label != null ? " (" + label + ")" : ""),
                    caption, t.build()));
        }
        return out;
    }

    /** "0.123 [0.101, 0.146]", or the value alone where no interval was computed. */
    static String withInterval(double value, Quality.Interval interval, DoubleFunction<String> format) {
        String v = format.apply(value);
        if (interval == null || !Numbers.known(value)) return v;
        return v + " [" + format.apply(interval.low()) + ", " + format.apply(interval.high()) + "]";
    }
}
