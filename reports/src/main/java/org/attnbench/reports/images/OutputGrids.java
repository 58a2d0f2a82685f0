package org.attnbench.reports.images;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.attnbench.methods.Methods;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/**
 * Side-by-side comparisons of what the cells produced: for each reference cell that saved its
 * outputs, the reference and every variant compared with it (same backend, size and kernel), with
 * the absolute difference from the reference below each. Token maps and latents are shown through
 * {@link PcaColours}; decoded images as they are.
 */
public final class OutputGrids {
    public static final String FOLDER = "images";

    private OutputGrids() {}

    public static List<Block> blocks(RunData run, Path reportDir) {
        List<Block> out = new ArrayList<>();
        for (ResultRow ref : run.rows()) {
            if (!ref.ok() || RunData.compared(ref) || Scope.isCeiling(ref)) continue;
            List<ResultRow> variants = run.rows().stream()
                    .filter(r -> r.ok() && ref.cell().id().equals(r.cell().referenceId()) && RunData.compared(r))
                    .sorted(Comparator.comparingInt((ResultRow r) -> familyOrder(r.cell().family()))
                            .thenComparing(r -> r.cell().variant()))
                    .toList();
            String what = Labels.context(ref.cell());
            List<ResultRow> withOutputs = variants.stream().filter(r -> SavedOutputs.hasOutputs(run.dir(), r)).toList();
            if (SavedOutputs.hasOutputs(run.dir(), ref) && !withOutputs.isEmpty()) {
                out.add(guard("Outputs, " + what, () -> tokens(run, ref, withOutputs, reportDir)));
            }
            List<ResultRow> withImages = variants.stream().filter(r -> SavedOutputs.hasImage(run.dir(), r)).toList();
            if (SavedOutputs.hasImage(run.dir(), ref) && !withImages.isEmpty()) {
                out.add(guard("Images, " + what, () -> images(run, ref, withImages, reportDir)));
            }
        }
        if (out.isEmpty()) {
            out.add(new Block.LeftOut("Output and image comparisons",
                    "no reference cell of this run saved outputs or images together with a variant compared with it"));
        }
        return out;
    }

    private static Block tokens(RunData run, ResultRow ref, List<ResultRow> variants, Path reportDir) {
        SavedOutputs.FirstSample first = SavedOutputs.firstSample(run.dir(), ref);
        TokenMap reference = first.map();
        PcaColours colours = PcaColours.fit(reference);
        List<double[]> diffs = new ArrayList<>();
        List<BufferedImage> outputs = new ArrayList<>();
        for (ResultRow r : variants) {
            TokenMap m = SavedOutputs.firstSample(run.dir(), r).map();
            if (m.h() != reference.h() || m.w() != reference.w() || m.c() != reference.c()) {
                throw new IllegalArgumentException(Labels.full(r.cell()) + " saved outputs of another shape than its reference");
            }
            outputs.add(colours.render(m));
            diffs.add(rms(m, reference));
        }
        double max = diffs.stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(0);
        Labels labels = new Labels(run.rows());
        List<Mosaic.Column> cols = new ArrayList<>();
        cols.add(new Mosaic.Column(labels.variant(ref.cell().variant()) + " (reference)", colours.render(reference), null,
                null));
        for (int i = 0; i < variants.size(); i++) {
            ResultRow r = variants.get(i);
            cols.add(new Mosaic.Column(labels.variant(r.cell().variant()), outputs.get(i),
                    HeatMap.render(diffs.get(i), reference.w(), reference.h(), max),
                    "mean " + Numbers.sig(mean(diffs.get(i))) + ", MSE " + Numbers.sci(r.quality().mse())));
        }
        boolean latents = ref.cell().workload() == WorkloadKind.DENOISING;
        String kind = latents ? "latents" : "outputs";
        String title = "Saved " + kind + ": " + Labels.context(ref.cell());
        BufferedImage img = Mosaic.draw(title, kind + ", first 3 principal components as RGB",
                "RMS over channels of |variant − reference|", cols, max, Numbers.sig(max), false);
        String id = id(kind, ref);
        String caption = String.format(Locale.ROOT,
                "Where a variant's colours match the reference's, its outputs do; the bottom row shows where they"
                        + " differ, brighter is further. Top: each %s (%d channels) projected on the first three"
                        + " principal components of the reference's %s, fitted on the reference and applied unchanged"
                        + " to every column (the reference's 1st to 99th percentile of each component spans 0 to 255)."
                        + " Bottom: each position's RMS difference from the reference over channels, one scale for the"
                        + " row (0 to %s). First of %d sample(s); %dx%d grid.",
                latents ? "latent position" : "token's output", reference.c(), kind, Numbers.sig(max), first.samples(),
                reference.h(), reference.w());
        return save(img, id, title, caption, reportDir);
    }

    private static Block images(RunData run, ResultRow ref, List<ResultRow> variants, Path reportDir) {
        BufferedImage reference = SavedOutputs.firstImage(run.dir(), ref);
        List<BufferedImage> images = new ArrayList<>();
        List<double[]> diffs = new ArrayList<>();
        for (ResultRow r : variants) {
            BufferedImage img = SavedOutputs.firstImage(run.dir(), r);
            if (img.getWidth() != reference.getWidth() || img.getHeight() != reference.getHeight()) {
                throw new IllegalArgumentException(Labels.full(r.cell()) + " saved an image of another size than its reference");
            }
            images.add(img);
            diffs.add(pixelDiff(img, reference));
        }
        double max = diffs.stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(0);
        Labels labels = new Labels(run.rows());
        List<Mosaic.Column> cols = new ArrayList<>();
        cols.add(new Mosaic.Column(labels.variant(ref.cell().variant()) + " (reference)", reference, null, null));
        for (int i = 0; i < variants.size(); i++) {
            cols.add(new Mosaic.Column(labels.variant(variants.get(i).cell().variant()), images.get(i),
                    HeatMap.render(diffs.get(i), reference.getWidth(), reference.getHeight(), max),
                    "mean |Δ| " + Numbers.sig(mean(diffs.get(i))) + " of 255"));
        }
        String title = "Decoded images: " + Labels.context(ref.cell());
        BufferedImage img = Mosaic.draw(title, "decoded image (first sample)", "mean over RGB of |variant − reference|",
                cols, max, Numbers.sig(max), true);
        String prompt = SavedOutputs.firstPrompt(run.dir(), ref);
        String caption = String.format(Locale.ROOT,
                "The bottom row shows where each variant's image departs from the reference's, brighter is further"
                        + " (each pixel's absolute difference averaged over R, G and B on the 0 to 255 scale, one colour"
                        + " scale for the row: 0 to %s). Top: the first decoded image of each cell, the reference first%s;"
                        + " %dx%d px images shown %d px wide.",
                Numbers.sig(max), prompt == null ? "" : ", every one of the same " + prompt, reference.getWidth(),
                reference.getHeight(), Mosaic.TILE);
        return save(img, id("images", ref), title, caption, reportDir);
    }

    private static Block save(BufferedImage img, String id, String title, String caption, Path reportDir) {
        Path dir = reportDir.resolve(FOLDER);
        try {
            Files.createDirectories(dir);
            ImageIO.write(img, "png", dir.resolve(id + ".png").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(id + ".png") + ": " + e.getMessage(), e);
        }
        return new Block.Figure(id, title, caption, FOLDER + "/" + id + ".png", null, img.getWidth(), img.getHeight());
    }

    /** A comparison that cannot be drawn (unreadable file, wrong shape) is a note, not a failed report. */
    private static Block guard(String what, java.util.function.Supplier<Block> draw) {
        try {
            return draw.get();
        } catch (RuntimeException e) {
            return new Block.LeftOut(what, "its saved files could not be compared: " + e.getMessage());
        }
    }

    static double[] rms(TokenMap a, TokenMap b) {
        double[] out = new double[a.positions()];
        for (int p = 0; p < out.length; p++) {
            double s = 0;
            for (int ch = 0; ch < a.c(); ch++) {
                double d = a.get(p, ch) - b.get(p, ch);
                s += d * d;
            }
            out[p] = Math.sqrt(s / a.c());
        }
        return out;
    }

    static double[] pixelDiff(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                double d = 0;
                for (int shift = 0; shift <= 16; shift += 8) d += Math.abs(((p >> shift) & 255) - ((q >> shift) & 255));
                out[y * w + x] = d / 3;
            }
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? 0 : s / v.length;
    }

    private static int familyOrder(String family) {
        List<String> order = Methods.names();
        int i = order.indexOf(family);
        return i < 0 ? order.size() : i;
    }

    private static String id(String kind, ResultRow ref) {
        var c = ref.cell();
        String s = String.join("-", kind, c.workload().toString(), c.model(), c.backend(), c.device(), c.dtype(),
                String.valueOf(c.resolutionPx()), c.kernel().toString(), c.steps() > 0 ? c.steps() + "steps" : "");
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
