package org.attnbench.harness.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.metrics.features.ImageBootstrap;
import org.attnbench.metrics.fidelity.Fidelity;
import org.attnbench.metrics.fidelity.HighFrequency;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.store.CellInfo;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.features.ClipScore;

/**
 * Fidelity of a cell's outputs against its reference cell's outputs for the same inputs, averaged
 * over the fidelity samples, and the HPF of both.
 *
 * <p>Token maps and latents are compared as they are, PSNR taking the reference sample's value
 * range (max - min) as its peak. Decoded images are compared as a viewer sees them, the decoder's
 * [-1, 1] mapped to [0, 1] and clamped (diffusers' post-processing): MSE on that scale, as in the
 * ToDo paper's Table 1, PSNR with peak 1, and HPF on 0..255, the paper's scale. HPF views an
 * attention output [B, N, C] as B images of C channels on the h x w grid, and latents or images
 * [1, C, h, w] as they are. With an extractor, decoded images also get FID-like and KID scores
 * against the reference's ({@link FeatureScores}); with a CLIP model, a cell that sampled prompts gets
 * its images' CLIP score against them ({@link ClipScores}). Every image score gets its bootstrap
 * interval over the images ({@link ImageBootstrap}).
 */
final class Comparisons {
    private final RunFolder run;
    private final FeatureScores features;
    private final ClipScores clip;
    private final Set<String> metrics;

    /** @param metrics the metrics to record (fidelity.metrics); the others stay NaN */
    Comparisons(RunFolder run, FeatureScores features, Set<String> metrics) {
        this(run, features, null, metrics);
    }

    /** @param clip scores decoded images against their prompts, or null */
    Comparisons(RunFolder run, FeatureScores features, ClipScores clip, Set<String> metrics) {
        this.run = run;
        this.features = features;
        this.clip = clip;
        this.metrics = metrics;
    }

    Quality quality(ResultRow row) {
        Quality q = withClip(measure(row), row);
        Quality.SetScores set = q.referenceSet();
        if (set != null) {
            set = new Quality.SetScores(set.name(), set.setImages(), set.cellImages(), pick("fid_set", set.fid()),
                    pick("kid_set", set.kid()));
        }
        Map<String, Quality.Interval> intervals = new LinkedHashMap<>(q.intervals());
        intervals.keySet().retainAll(metrics);
        return new Quality(q.samples(), pick("mse", q.mse()), pick("psnr_db", q.psnrDb()), pick("cosine", q.cosine()),
                pick("max_abs", q.maxAbs()), pick("rel_l2", q.relL2()), pick("hpf", q.hpf()), pick("hpf", q.hpfReference()),
                pick("fid_like", q.fidLike()), pick("kid", q.kid()), q.extractor(), set, pick("clip_score", q.clipScore()),
                q.clipModel(), intervals);
    }

    /** The cell's images against the sweep's reference image set, every cell (the reference too) alike. */
    private Quality withSet(Quality q, ResultRow row, boolean images) {
        if (!images || features == null || !(metrics.contains("fid_set") || metrics.contains("kid_set"))) return q;
        FeatureScores.SetResult r = features.againstSet(imageFiles(row));
        if (r == null) return q;
        return q.withReferenceSet(r.scores(), features.label()).withInterval("fid_set", r.fidInterval())
                .withInterval("kid_set", r.kidInterval());
    }

    /** CLIP score of every decoded image of a cell that sampled prompts against its prompt, every cell (the reference too) alike. */
    private Quality withClip(Quality q, ResultRow row) {
        String folder = row.files().get(PromptEncoding.FOLDER);
        if (clip == null || folder == null || !metrics.contains("clip_score") || !row.files().containsKey("image_0")) return q;
        PromptEncoding prompts = PromptEncoding.read(run.dir().resolve(folder));
        List<Path> images = imageFiles(row);
        List<String> texts = new ArrayList<>();
        for (int j = 0; j < images.size(); j++) texts.add(prompts.promptOf(j));
        ClipScore.Result r = clip.score(images, texts);
        return q.withClipScore(r.score(), r.label()).withInterval("clip_score", ImageBootstrap.mean(r.perImage(), true));
    }

    private double pick(String metric, double value) {
        return metrics.contains(metric) ? value : Double.NaN;
    }

    private Quality measure(ResultRow row) {
        Map<String, HostTensor> out = outputs(row);
        if (out == null) return Quality.NONE;
        boolean images = row.files().containsKey("image_0");
        double hpf = meanHpf(out, row.cell(), images);
        ResultRow ref = row.cell().referenceId() == null ? null : run.rowsById().get(row.cell().referenceId());
        Map<String, HostTensor> refOut = ref == null || !ref.ok() ? null : outputs(ref);
        if (refOut == null || !refOut.keySet().equals(out.keySet())) {
            return withSet(Quality.detailOnly(out.size(), hpf), row, images);
        }
        double mse = 0;
        double psnr = 0;
        double cosine = 0;
        double maxAbs = 0;
        double rel = 0;
        double[] mses = new double[out.size()];
        int k = 0;
        for (String name : out.keySet()) {
            double[] r = values(refOut.get(name), images);
            Fidelity f = Fidelity.compare(r, values(out.get(name), images));
            mses[k++] = f.mse();
            mse += f.mse();
            psnr += f.psnr(images ? 1 : range(r));
            cosine += f.cosine();
            maxAbs = Math.max(maxAbs, f.maxAbs());
            rel += f.relativeL2();
        }
        int n = out.size();
        FeatureScores.Scores fidKid = null;
        String extractor = null;
        if (images && features != null && (metrics.contains("fid_like") || metrics.contains("kid"))) {
            fidKid = features.fidAndKid(imageFiles(ref), imageFiles(row));
            extractor = features.label();
        }
        Quality q = new Quality(n, mse / n, psnr / n, cosine / n, maxAbs, rel / n, hpf, ref.quality().hpf(),
                fidKid == null ? Double.NaN : fidKid.fid(), fidKid == null ? Double.NaN : fidKid.kid(), extractor, null)
                .withInterval("mse", ImageBootstrap.mean(mses, false));
        if (fidKid != null) q = q.withInterval("fid_like", fidKid.fidInterval()).withInterval("kid", fidKid.kidInterval());
        return withSet(q, row, images);
    }

    /** The saved outputs, or null when the cell kept none (or they were deleted with save_outputs: false). */
    private Map<String, HostTensor> outputs(ResultRow row) {
        String file = row.files().get("outputs");
        if (file == null || !Files.isRegularFile(run.dir().resolve(file))) return null;
        return Safetensors.read(run.dir().resolve(file));
    }

    private List<Path> imageFiles(ResultRow row) {
        return row.files().entrySet().stream().filter(e -> e.getKey().startsWith("image_"))
                .sorted(Map.Entry.comparingByKey()).map(e -> run.dir().resolve(e.getValue())).toList();
    }

    /** The values compared: as stored, or for decoded images the [0, 1] a viewer sees. */
    private static double[] values(HostTensor t, boolean images) {
        double[] x = t.toDoubles();
        if (images) {
            for (int i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, x[i] / 2 + 0.5));
        }
        return x;
    }

    private static double range(double[] x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }

    private static double meanHpf(Map<String, HostTensor> outputs, CellInfo cell, boolean images) {
        double sum = 0;
        int count = 0;
        for (HostTensor t : outputs.values()) {
            HostTensor scaled = images ? HostTensor.of(scale(values(t, true), 255), t.shape()) : t;
            for (double[][][] image : images(scaled, cell)) {
                sum += HighFrequency.hpf(image);
                count++;
            }
        }
        return sum / count;
    }

    private static double[] scale(double[] x, double by) {
        for (int i = 0; i < x.length; i++) x[i] *= by;
        return x;
    }

    /** An output as [image][channel][row][col]. */
    static double[][][][] images(HostTensor t, CellInfo cell) {
        long[] s = t.shape();
        double[] x = t.toDoubles();
        if (s.length == 4) {
            int b = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3];
            double[][][][] out = new double[b][c][h][w];
            for (int i = 0; i < x.length; i++) out[i / (c * h * w)][i / (h * w) % c][i / w % h][i % w] = x[i];
            return out;
        }
        String[] hw = cell.grid().split("x");
        int h = Integer.parseInt(hw[0]), w = Integer.parseInt(hw[1]);
        int b = (int) s[0], n = (int) s[1], c = (int) s[2];
        double[][][][] out = new double[b][c][h][w];
        for (int i = 0; i < b; i++) {
            for (int tok = 0; tok < n; tok++) {
                for (int ch = 0; ch < c; ch++) out[i][ch][tok / w][tok % w] = x[(i * n + tok) * c + ch];
            }
        }
        return out;
    }
}
