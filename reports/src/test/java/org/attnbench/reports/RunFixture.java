package org.attnbench.reports;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Cost;
import org.attnbench.store.GitState;
import org.attnbench.store.Machine;
import org.attnbench.store.Memory;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;
import org.attnbench.store.Speedup;
import org.attnbench.store.StoreJson;
import org.attnbench.store.Timing;
import org.attnbench.tensor.HostTensor;
import org.attnbench.store.WorkloadKind;

/**
 * Run folders with known values, written through the store API as {@code attnbench run} writes
 * them: the quickstart's shape (2 backends × 2 grids × 3 variants of the SD 1.5 level-1 attention
 * block, GEMM and copy ceilings, 10 samples a cell), optionally with failed and skipped cells,
 * saved outputs, and a small UNet scope with latents and decoded images.
 */
public final class RunFixture {
    public static final String DENSE = "dense";
    public static final String TODO = "todo:factor=2,method=nearest-exact";
    public static final String TOME = "tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0";
    static final String FAILED_REASON = "out of memory: 18.2 GiB requested";
    static final String SKIPPED_REASON = "backend djl has no kernel for com.microsoft.MultiHeadAttention";
    static final int OUTPUT_CHANNELS = 24;

    private final List<String> backends = new ArrayList<>(List.of("onnxruntime", "djl"));
    private boolean problems;
    private boolean outputs;
    private boolean unet;
    private double slowdown = 1;
    private int table1Px;

    /** Some cells fail or are skipped (DJL's ToMe at 512 px fails; DJL's fused dense is skipped). */
    public RunFixture problems() {
        problems = true;
        return this;
    }

    /** Reference and variant cells save outputs ({@code sample_0}, {@code sample_1}). */
    public RunFixture outputs() {
        outputs = true;
        return this;
    }

    /** Adds a UNet scope on ONNX Runtime with latents and decoded images. */
    public RunFixture unet() {
        unet = true;
        return this;
    }

    /** ONNX Runtime's ToDo at 512 px runs this many times slower (for baseline comparisons). */
    public RunFixture todoSlowdown(double factor) {
        slowdown = factor;
        return this;
    }

    /** Adds ToDo f=2 and ToMe r=0.75 cells at this size on ONNX Runtime (the paper's Table 1 is at 1536 px). */
    public RunFixture alsoAt(int px) {
        table1Px = px;
        return this;
    }

    public RunFixture onlyBackend(String backend) {
        backends.retainAll(List.of(backend));
        return this;
    }

    public Path write(Path dir) {
        RunFolder run = RunFolder.create(dir);
        run.writeManifest(manifest());
        Random random = new Random(42);
        for (String backend : backends) {
            double slower = backend.equals("djl") ? 1.3 : 1.0;
            for (String grid : List.of("32x32", "64x64")) {
                int side = Integer.parseInt(grid.split("x")[0]);
                double denseMs = (side == 32 ? 45.0 : 700.0) * slower;
                String refId = id(backend, "attention", grid, DENSE);
                attention(run, random, backend, grid, DENSE, null, denseMs, denseMs, 0, 0);
                double todoMs = denseMs / (side == 32 ? 1.35 : 2.1) * (backend.equals("onnxruntime") && side == 64 ? slowdown : 1);
                attention(run, random, backend, grid, TODO, refId, todoMs, denseMs, 6.1e-3, 4.87);
                if (problems && backend.equals("djl") && side == 64) {
                    run.record(ResultRow.failed(cell(backend, "attention", grid, TOME, refId), CellStatus.FAILED,
                            FAILED_REASON, "2026-01-05T10:00:00Z", "2026-01-05T10:00:09Z"));
                } else {
                    attention(run, random, backend, grid, TOME, refId, denseMs / (side == 32 ? 0.85 : 1.25), denseMs, 2.6e-2, 4.02);
                }
            }
            if (problems && backend.equals("djl")) {
                run.record(ResultRow.failed(cell(backend, "attention", "32x32", "dense:kernel=fused", null),
                        CellStatus.SKIPPED, SKIPPED_REASON, "2026-01-05T10:01:00Z", "2026-01-05T10:01:00Z"));
            }
            ceiling(run, random, backend, "gemm", backend.equals("djl") ? 148 : 155);
        }
        if (backends.contains("onnxruntime")) ceiling(run, random, "onnxruntime", "copy", Double.NaN);
        if (table1Px > 0) {
            int side = table1Px / 8;
            String grid = side + "x" + side;
            String refId = id("onnxruntime", "attention", grid, DENSE);
            double denseMs = 2400;
            attention(run, random, "onnxruntime", grid, DENSE, null, denseMs, denseMs, 0, 0);
            attention(run, random, "onnxruntime", grid, TODO, refId, denseMs / 3.1, denseMs, 5.9e-3, 4.9);
            attention(run, random, "onnxruntime", grid, "tome:ratio=0.75,sx=2,sy=2,use_rand=true,seed=0", refId,
                    denseMs / 1.6, denseMs, 2.7e-2, 4.0);
        }
        if (unet) unetScope(run, random);
        return dir;
    }

    /**
     * The manifest, read from its JSON form as a run writes it, so fields the runner adds later take
     * their defaults here instead of breaking the fixture.
     */
    private RunManifest manifest() {
        Machine machine = new Machine("Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz", 2, 23.5, List.of(),
                "Debian GNU/Linux 12 (bookworm), Linux 6.1", "Debian OpenJDK 64-Bit Server VM 17.0.15");
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("attnbench", "0.1.0-SNAPSHOT");
        versions.put("onnxruntime", "1.23.2");
        versions.put("djl", "0.36.0");
        versions.put("libtorch", "2.7.1");
        String config = "name: quickstart\nbackends: [onnxruntime, djl]\ndevices: [cpu]\ngrids: [32x32, 64x64]\n"
                + "variants:\n  - dense\n  - \"todo:factor=2,method=nearest-exact\"\n  - \"tome:ratio=0.5\"\niterations: 10\n";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "quickstart");
        m.put("config_file", "configs/quickstart.yaml");
        m.put("config_hash", RunFolder.sha256(config));
        m.put("config_text", config);
        m.put("command", "attnbench run configs/quickstart.yaml");
        m.put("git", new GitState("fa8975c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6", false));
        m.put("machine", machine);
        m.put("versions", versions);
        m.put("cells", 18);
        m.put("started_at", "2026-01-05T10:00:00Z");
        m.put("finished_at", "2026-01-05T10:03:12Z");
        return StoreJson.COMPACT.fromJson(StoreJson.COMPACT.toJson(m), RunManifest.class);
    }

    static String id(String backend, String workload, String grid, String variant) {
        return backend + "|cpu|float32|" + workload + ":" + grid + "|" + variant;
    }

    public static CellInfo cell(String backend, String workload, String grid, String variant, String refId) {
        int side = Integer.parseInt(grid.split("x")[0]);
        boolean attention = workload.equals("attention");
        String family = variant.split(":")[0];
        String kernel = variant.contains("kernel=fused") ? "fused" : "matmul";
        return new CellInfo(id(backend, workload, grid, variant), backend, "cpu", "float32", WorkloadKind.of(workload),
                attention ? "sd15-level1" : "sd15", grid, side * 8, (long) side * side, attention ? 320 : 0,
                attention ? 8 : 0, 1, attention ? 0 : 2, variant, family, kernel, refId);
    }

    private void attention(RunFolder run, Random random, String backend, String grid, String variant, String refId,
            double medianMs, double denseMs, double mse, double hpf) {
        CellInfo c = cell(backend, "attention", grid, variant, refId);
        double n = c.tokens();
        double flops = 4 * 2 * n * 320 * 320 + 2 * 2 * n * n * 320 / (variant.startsWith("todo") ? 4 : 1);
        Timing t = timing(random, medianMs, n);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("log", RunFolder.CELLS + "/" + RunFolder.key(c.id()) + "/cell.log");
        if (outputs && backend.equals("onnxruntime")) {
            int side = Integer.parseInt(grid.split("x")[0]);
            Path f = run.cellDir(c.id()).resolve("outputs.safetensors");
            Map<String, HostTensor> samples = new LinkedHashMap<>();
            for (int s = 0; s < 2; s++) samples.put("sample_" + s, tokenMap(side, variant, s));
            Safetensors.write(f, samples);
            files.put("outputs", run.relative(f));
        }
        boolean compared = refId != null;
        Quality q = compared ? new Quality(2, mse, 10 * Math.log10(4 / mse), 1 - mse, 0.6, Math.sqrt(mse), hpf, 4.85,
                Double.NaN, Double.NaN, null, null) : Quality.NONE;
        Speedup s = compared ? new Speedup(denseMs / medianMs, denseMs / medianMs * 0.96, denseMs / medianMs * 1.04) : null;
        double peak = backend.equals("djl") ? Double.NaN : 155;
        Cost cost = new Cost(flops, n * 320 * 4 * 2, flops / medianMs / 1e6, n * 320 * 8 / medianMs / 1e6, peak,
                Double.NaN, Double.NaN);
        Memory m = new Memory(900 + n * n * 4 * 8 / 1048576.0 / (compared ? 2.5 : 1), 120, Double.NaN, Double.NaN,
                "not measured on cpu");
        run.record(new ResultRow(c, CellStatus.OK, null, t, s, m, cost, q, Map.of("threads", "2", "inputs", "gaussian"),
                files, "2026-01-05T10:00:00Z", "2026-01-05T10:00:05Z"));
    }

    private void ceiling(RunFolder run, Random random, String backend, String kind, double gflops) {
        CellInfo c = new CellInfo(backend + "|cpu|float32|ceiling|" + kind, backend, "cpu", "float32", WorkloadKind.CEILING, kind, "",
                0, 0, 0, 0, 1, 0, "-", kind, "-", null);
        double ms = 13.9;
        Cost cost = kind.equals("gemm") ? new Cost(2.0 * 1024 * 1024 * 1024, Double.NaN, gflops, Double.NaN, gflops,
                Double.NaN, 1) : new Cost(Double.NaN, 1 << 28, Double.NaN, 19.3, Double.NaN, 19.3, 1);
        run.record(new ResultRow(c, CellStatus.OK, null, timing(random, ms, Double.NaN), null, null, cost, null, Map.of(),
                Map.of(), "2026-01-05T10:02:00Z", "2026-01-05T10:02:03Z"));
    }

    private void unetScope(RunFolder run, Random random) {
        String grid = "64x64";
        String refId = id("onnxruntime", "unet", grid, DENSE);
        double denseMs = 41_000;
        String[] variants = {DENSE, TODO, TOME};
        double[] speedups = {1, 1.42, 1.08};
        double[] mses = {0, 4.1e-3, 1.9e-2};
        for (int v = 0; v < variants.length; v++) {
            CellInfo c = cell("onnxruntime", "unet", grid, variants[v], v == 0 ? null : refId);
            Path dir = run.cellDir(c.id());
            Path latents = dir.resolve("outputs.safetensors");
            Safetensors.write(latents, Map.of("sample_0", latents(variants[v])));
            Path png = dir.resolve("image_0.png");
            writeImage(png, variants[v]);
            double ms = denseMs / speedups[v];
            Quality q = v == 0 ? Quality.NONE : new Quality(1, mses[v], 20, 0.99, 0.5, 0.05, 4.8 - v * 0.3, 4.85,
                    v * 3.5, v * 1e-3, "InceptionV3 (nsfwjs, FID-like)", null);
            run.record(new ResultRow(c, CellStatus.OK, null, timing(random, ms, Double.NaN), v == 0 ? null
                    : new Speedup(speedups[v], speedups[v] * 0.97, speedups[v] * 1.03),
                    new Memory(6100 - v * 400, 300, Double.NaN, Double.NaN, "not measured on cpu"), null, q,
                    Map.of("scheduler", "ddim"), Map.of("outputs", run.relative(latents), "image_0", run.relative(png)),
                    "2026-01-05T10:02:10Z", "2026-01-05T10:02:50Z"));
        }
    }

    private static Timing timing(Random random, double medianMs, double tokens) {
        double[] x = new double[10];
        for (int i = 0; i < x.length; i++) x[i] = medianMs * (1 + 0.03 * random.nextGaussian()) + (i == 3 ? medianMs * 0.15 : 0);
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double median = (sorted[4] + sorted[5]) / 2;
        double mean = Arrays.stream(x).average().orElse(0);
        double std = Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1));
        return new Timing("forward", Arrays.stream(x).boxed().toList(), median, mean, std, sorted[1], sorted[8], sorted[9],
                mean - 2 * std, mean + 2 * std, 0, tokens / median * 1000, Double.NaN, Double.NaN);
    }

    /** A smooth token map; ToDo blurs it a little, ToMe copies merged tokens (blocks of equal values). */
    static HostTensor tokenMap(int side, String variant, int sample) {
        int c = OUTPUT_CHANNELS;
        float[] out = new float[side * side * c];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int sy = y;
                int sx = x;
                if (variant.startsWith("tome") && ((x / 2 + y / 2) % 3 == 0)) {
                    sy = y - y % 2;
                    sx = x - x % 2;
                }
                for (int k = 0; k < c; k++) {
                    double u = sx / (double) side;
                    double v = sy / (double) side;
                    double val = Math.sin(6.3 * (u * (1 + k % 3) + sample * 0.1)) * Math.cos(4.1 * v * (1 + k % 4))
                            + 0.5 * Math.sin(9 * (u + v) + k);
                    if (variant.startsWith("todo")) val += 0.05 * Math.sin(31 * u + 17 * v + k);
                    out[(y * side + x) * c + k] = (float) val;
                }
            }
        }
        return HostTensor.of(out, 1, (long) side * side, c);
    }

    static HostTensor latents(String variant) {
        int s = 64;
        float[] out = new float[4 * s * s];
        for (int k = 0; k < 4; k++) {
            for (int p = 0; p < s * s; p++) {
                double u = (p % s) / (double) s;
                double v = (p / s) / (double) s;
                double val = Math.sin(5 * u * (k + 1)) + Math.cos(7 * v + k);
                if (!variant.equals(DENSE)) val += (variant.startsWith("tome") ? 0.2 : 0.06) * Math.sin(40 * u * v + k);
                out[k * s * s + p] = (float) val;
            }
        }
        return HostTensor.of(out, 1, 4, s, s);
    }

    static void writeImage(Path png, String variant) {
        int s = 128;
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int y = 0; y < s; y++) {
            g.setColor(new Color(40 + y, 90 + y / 2, 160));
            g.drawLine(0, y, s, y);
        }
        g.setColor(new Color(230, 190, 60));
        int shift = variant.startsWith("tome") ? 4 : variant.startsWith("todo") ? 1 : 0;
        g.fillOval(30 + shift, 26, 60, 60);
        g.setColor(new Color(40, 120, 50));
        g.fillRect(0, 100, s, 28);
        g.dispose();
        try {
            ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
