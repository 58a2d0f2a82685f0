package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.List;
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
 * Inception with clean-fid's preprocessing, FID-like for any other network. The caption says when
 * a cell's images are fewer than FID (about 5,000) or KID (about 100) need to be stable.
 */
public final class FidelityTable {
    static final int FID_STABLE = 5000;
    static final int KID_STABLE = 100;

    private FidelityTable() {}

    public static List<Block> blocks(RunData run) {
        List<ResultRow> scored = run.rows().stream().filter(r -> r.ok() && r.quality().extractor() != null).toList();
        List<Block> out = new ArrayList<>();
        List<String> extractors = RunData.distinct(scored, r -> r.quality().extractor());
        for (int e = 0; e < extractors.size(); e++) {
            String label = extractors.get(e);
            List<ResultRow> rows = scored.stream().filter(r -> label.equals(r.quality().extractor())).toList();
            String fid = label.startsWith("fid-inception ") ? "FID" : "FID-like";
            Quality.SetScores any = rows.stream().map(r -> r.quality().referenceSet()).filter(s -> s != null).findFirst().orElse(null);
            String set = any == null ? "reference set" : any.name();
            TextTable t = new TextTable("fidelity-scores-" + (e + 1), "backend", "size", "variant", "speedup [95% CI]", "MSE",
                    fid + " to dense", "KID to dense", fid + " to " + set, "KID to " + set, "images");
            int fewest = Integer.MAX_VALUE;
            for (ResultRow r : rows) {
                Quality q = r.quality();
                Quality.SetScores s = q.referenceSet();
                int images = s != null ? s.cellImages() : q.samples();
                fewest = Math.min(fewest, images);
                t.add(Labels.backend(r.cell().backend()) + " " + r.cell().device() + " " + r.cell().dtype(), Labels.sizeWithGrid(r.cell()),
                        r.cell().label(), RunData.compared(r) ? Numbers.speedup(r.speedup().ratio(), r.speedup().low(), r.speedup().high())
                                : "reference",
                        Numbers.sci(q.mse()), Numbers.sig(q.fidLike()), Numbers.sci(q.kid()), s == null ? Numbers.NOT_MEASURED : Numbers.sig(s.fid()),
                        s == null ? Numbers.NOT_MEASURED : Numbers.sci(s.kid()), Integer.toString(images));
            }
            String caption = "Features: " + label + ". " + (any == null ? "" : set + " holds " + any.setImages() + " images. ")
                    + (fewest < FID_STABLE ? "Cells scored as few as " + fewest + " images: FID needs about " + FID_STABLE
                            + " to be stable" + (fewest < KID_STABLE ? " and KID about " + KID_STABLE : "")
                            + ", so these numbers compare this run's cells and are not to be set beside published ones. " : "")
                    + "Intervals of the image scores over resampled images are not computed yet. A dash means not measured.";
            out.add(new Block.TableBlock("fidelity-scores-" + (e + 1), fid + " and KID of every cell" + (extractors.size() > 1 ? " (" + label + ")" : ""),
                    caption, t.build()));
        }
        return out;
    }
}
