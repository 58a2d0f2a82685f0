package org.attnbench.harness.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.metrics.fidelity.Fidelity;
import org.attnbench.metrics.fidelity.HighFrequency;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.store.CellInfo;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.tensor.HostTensor;

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
 * against the reference's ({@link FeatureScores}).
 */
final class Comparisons {
    private final RunFolder run;
    private final FeatureScores features;
    private final Set<String> metrics;

    /** @param metrics the metrics to record (fidelity.metrics); the others stay NaN */
    Comparisons(RunFolder run, FeatureScores features, Set<String> metrics) {
        this.run = run;
        this.features = features;
        this.metrics = metrics;
    }

    Quality quality(ResultRow row) {
        Quality q = measure(row);
        Quality.SetScores set = q.referenceSet();
        if (set != null) {
            set = new Quality.SetScores(set.name(), set.setImages(), set.cellImages(), pick("fid_set", set.fid()),
                    pick("kid_set", set.kid()));
        }
        return new Quality(q.samples(), pick("mse", q.mse()), pick("psnr_db", q.psnrDb()), pick("cosine", q.cosine()),
                pick("max_abs", q.maxAbs()), pick("rel_l2", q.relL2()), pick("hpf", q.hpf()), pick("hpf", q.hpfReference()),
                pick("fid_like", q.fidLike()), pick("kid", q.kid()), q.extractor(), set);
    }

    /** The cell's images against the sweep's reference image set, every cell (the reference too) alike. */
    private Quality withSet(Quality q, ResultRow row, boolean images) {
        if (!images || features == null || !(metrics.contains("fid_set") || metrics.contains("kid_set"))) return q;
        Quality.SetScores scores = features.againstSet(imageFiles(row));
        return scores == null ? q : q.withReferenceSet(scores, features.label());
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
        for (String name : out.keySet()) {
            double[] r = values(refOut.get(name), images);
            Fidelity f = Fidelity.compare(r, values(out.get(name), images));
            mse += f.mse();
            psnr += f.psnr(images ? 1 : range(r));
            cosine += f.cosine();
            maxAbs = Math.max(maxAbs, f.maxAbs());
            rel += f.relativeL2();
        }
        int n = out.size();
        double[] fidKid = {Double.NaN, Double.NaN};
        String extractor = null;
        if (images && features != null && (metrics.contains("fid_like") || metrics.contains("kid"))) {
            fidKid = features.fidAndKid(imageFiles(ref), imageFiles(row));
            extractor = features.label();
        }
        return withSet(new Quality(n, mse / n, psnr / n, cosine / n, maxAbs, rel / n, hpf, ref.quality().hpf(), fidKid[0],
                fidKid[1], extractor, null), row, images);
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
