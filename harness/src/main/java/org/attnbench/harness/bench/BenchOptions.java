package org.attnbench.harness.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.attnbench.core.UserError;

/**
 * What {@link BenchRunner} runs: the cross product of backends, grids and variants (less the
 * oversized cells unless forced), each backend's GEMM ceiling, and JMH's fork and iteration counts.
 */
public record BenchOptions(List<String> backends, List<String> grids, List<String> variants, int forks, int warmup,
        int iterations, boolean gemm, boolean forceOversized, Path out) {

    public static final List<String> BACKENDS = List.of("onnxruntime", "djl");
    public static final List<String> GRIDS = List.of("64x64", "96x96", "128x128");
    public static final List<String> VARIANTS = List.of("dense", "dense:slice=1024", "dense:kernel=fused",
            "todo:factor=2", "todo:factor=2,kernel=fused", "tome:ratio=0.5", "tome-kv:ratio=0.5");

    public BenchOptions {
        if (forks < 1 || warmup < 0 || iterations < 1) {
            throw new UserError("need --forks >= 1, --warmup >= 0 and --iterations >= 1");
        }
        if (out == null) out = defaultOut();
    }

    public static BenchOptions defaults() {
        return new BenchOptions(BACKENDS, GRIDS, VARIANTS, 1, 2, 5, true, false, null);
    }

    public static Path defaultOut() {
        return Path.of("results", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Parses {@code --backend a,b --grid 64x64 --variant "dense;todo:factor=2" --forks N --warmup N
     * --iterations N --out DIR --no-gemm --force}. Variants are separated by ';' (or given by
     * repeating --variant) since a variant's own parameters use commas.
     */
    public static BenchOptions parse(String... args) {
        BenchOptions o = defaults();
        List<String> backends = o.backends, grids = o.grids, variants = null;
        int forks = o.forks, warmup = o.warmup, iterations = o.iterations;
        boolean gemm = true, force = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--no-gemm" -> gemm = false;
                case "--force" -> force = true;
                default -> {
                    if (i + 1 >= args.length) throw new UserError("option " + a + " needs a value");
                    String v = args[++i];
                    switch (a) {
                        case "--backend" -> backends = split(v, ",");
                        case "--grid" -> grids = split(v, ",");
                        case "--variant" -> variants = variants == null ? split(v, ";")
                                : concat(variants, split(v, ";"));
                        case "--forks" -> forks = integer(a, v);
                        case "--warmup" -> warmup = integer(a, v);
                        case "--iterations" -> iterations = integer(a, v);
                        case "--out" -> out = Path.of(v);
                        default -> throw new UserError("unknown option " + a);
                    }
                }
            }
        }
        return new BenchOptions(backends, grids, variants == null ? VARIANTS : variants, forks, warmup, iterations,
                gemm, force, out);
    }

    private static List<String> split(String v, String sep) {
        return Arrays.stream(v.split(sep)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static int integer(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UserError(option + " expects an integer, got '" + v + "'");
        }
    }
}
