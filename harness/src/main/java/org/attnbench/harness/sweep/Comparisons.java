package org.attnbench.harness.sweep;

import java.util.Map;
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
 * over the fidelity samples, and the HPF of both. PSNR takes the reference sample's value range
 * (max - min) as its peak. HPF views an output as images: an attention output [B, N, C] as B
 * images of C channels on the h x w grid, UNet latents [1, C, h, w] as they are.
 */
final class Comparisons {
    private Comparisons() {}

    static Quality quality(RunFolder run, ResultRow row) {
        Map<String, HostTensor> out = outputs(run, row);
        if (out == null) return Quality.NONE;
        double hpf = meanHpf(out, row.cell());
        ResultRow ref = row.cell().referenceId() == null ? null : run.rowsById().get(row.cell().referenceId());
        Map<String, HostTensor> refOut = ref == null || !ref.ok() ? null : outputs(run, ref);
        if (refOut == null || !refOut.keySet().equals(out.keySet())) {
            return new Quality(out.size(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, hpf, Double.NaN,
                    Double.NaN, Double.NaN, null);
        }
        double mse = 0;
        double psnr = 0;
        double cosine = 0;
        double maxAbs = 0;
        double rel = 0;
        for (String name : out.keySet()) {
            double[] r = refOut.get(name).toDoubles();
            Fidelity f = Fidelity.compare(r, out.get(name).toDoubles());
            mse += f.mse();
            psnr += f.psnr(range(r));
            cosine += f.cosine();
            maxAbs = Math.max(maxAbs, f.maxAbs());
            rel += f.relativeL2();
        }
        int n = out.size();
        return new Quality(n, mse / n, psnr / n, cosine / n, maxAbs, rel / n, hpf, meanHpf(refOut, ref.cell()), Double.NaN,
                Double.NaN, null);
    }

    private static Map<String, HostTensor> outputs(RunFolder run, ResultRow row) {
        String file = row.files().get("outputs");
        return file == null ? null : Safetensors.read(run.dir().resolve(file));
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

    private static double meanHpf(Map<String, HostTensor> outputs, CellInfo cell) {
        double sum = 0;
        int count = 0;
        for (HostTensor t : outputs.values()) {
            for (double[][][] image : images(t, cell)) {
                sum += HighFrequency.hpf(image);
                count++;
            }
        }
        return sum / count;
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
