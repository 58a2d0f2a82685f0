package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random bad input, 150 cases each (a few seconds): numbers for the command line's numeric flags
 * that no flag takes (out of range, non-finite, overflowing, not numbers), and sweep configs with
 * one value made wrong (a size, a name, a key, a byte). Every case must exit 2 with one
 * {@code error:} line (a config: one line per problem), no stack trace, and nothing written.
 */
class FuzzInputTest {
    static final long SEED = 20261207L;
    static final String NASTY = "abcxyzXYZ019-+._,:;/\\\"'{}[]()#!%&*?<>|`~ \té€\u0000";

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static String garbage(Random r) {
        StringBuilder s = new StringBuilder();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) s.append(NASTY.charAt(r.nextInt(NASTY.length())));
        String t = s.toString().strip();
        // a garbage value must not happen to be a number, nor start with '-' (picocli would read an option name)
        return t.isEmpty() || t.startsWith("-") || t.matches("[0-9.]+") ? "x" + t : t;
    }

    /** A number no flag with this range takes, or no number at all. */
    private static String badNumber(Random r, long min, long max, boolean floating) {
        return switch (r.nextInt(floating ? 8 : 6)) {
            case 0 -> Long.toString(min - 1 - r.nextInt(1000));
            case 1 -> Long.toString(max + 1 + (long) r.nextInt(1_000_000));
            case 2 -> Long.toString(max + 1 + Math.abs(r.nextLong() % (Long.MAX_VALUE - max - 1)));
            case 3 -> "9".repeat(20 + r.nextInt(20));
            case 4 -> garbage(r);
            case 5 -> Integer.toString(Integer.MIN_VALUE + r.nextInt(10));
            case 6 -> List.of("NaN", "Infinity", "-Infinity", "1e400").get(r.nextInt(4));
            default -> (min - 0.5 - r.nextDouble() * 1e6) + "";
        };
    }

    record Flag(String name, long min, long max, boolean floating, List<String> command) {}

    @Test
    void numericFlagsRefuseWhatTheyCannotTake() throws Exception {
        Path features = dir.resolve("f.safetensors");
        Safetensors.write(features, Map.of("features", HostTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2)));
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [4x4], channels: 8, heads: 2}
                variants: [dense]
                """);
        String out = dir.resolve("out").toString();
        List<String> attention = List.of("attention", "--grid", "4x4", "--channels", "8", "--heads", "2", "--output", out + ".st");
        List<String> unet = List.of("unet", "--model", "tiny", "--steps", "1", "--save-latents", out + ".st");
        List<String> export = List.of("export-onnx", "--model", "tiny", "-o", out + ".onnx");
        List<String> compare = List.of("compare", "--baseline", "../results/baselines/gate", "--current", "../results/baselines/gate");
        List<Flag> flags = new ArrayList<>();
        for (String f : List.of("--channels", "--heads", "--batch", "--repeat")) flags.add(range(f, attention));
        for (String f : List.of("--steps", "--resolution")) flags.add(range(f, unet));
        flags.add(new Flag("--height", 1, 16384, false, concat(unet, "--width", "64")));
        flags.add(new Flag("--width", 1, 16384, false, concat(unet, "--height", "64")));
        flags.add(new Flag("--guidance", 0, 100, true, concat(unet, "--resolution", "64")));
        for (String f : List.of("--batch", "--resolution")) flags.add(range(f, export));
        flags.add(new Flag("--timestep", 0, 999, true, export));
        flags.add(range("--batch", List.of("features", "--images", dir.toString(), "-o", out + ".st")));
        flags.add(range("--kid-subsets", List.of("fid", "--features-a", features.toString(), "--features-b", features.toString())));
        flags.add(range("--kid-subset-size", List.of("fid", "--features-a", features.toString(), "--features-b", features.toString())));
        flags.add(new Flag("--factor", 1, 100, true, compare));
        flags.add(new Flag("--p-value", 1, 0, true, compare));
        flags.add(new Flag("--scale", 1, 16, true, List.of("run", config.toString(), "--out", out)));
        flags.add(new Flag("--scale", 1, 16, true, List.of("validate", config.toString())));
        flags.add(new Flag("--grid", 1, 2048, false, List.of("attention", "--channels", "8", "--heads", "2")));

        Random r = new Random(SEED);
        List<String> before = listing();
        for (int i = 0; i < 150; i++) {
            Flag f = flags.get(r.nextInt(flags.size()));
            String value = f.name().equals("--grid") ? badGrid(r) : f.name().equals("--p-value") ? badProbability(r)
                    : f.name().equals("--factor") || f.name().equals("--scale") ? badScale(r, f.max())
                    : badNumber(r, f.min(), f.max(), f.floating());
            List<String> args = concat(f.command(), f.name(), value);
            CliRun run = CliRun.of(args.toArray(String[]::new));
            String what = String.join(" ", args) + "\n" + run.out() + run.err();
            assertEquals(ExitCode.USER_ERROR, run.exitCode(), what);
            assertEquals(1, run.errLines().size(), what);
            assertTrue(run.errLines().get(0).startsWith("error: "), what);
            assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), what);
            assertEquals(before, listing(), "nothing written: " + what);
        }
    }

    private static Flag range(String name, List<String> command) {
        NumericOptions.Range r = NumericOptions.RANGES.get(name);
        return new Flag(name, r.min(), r.max(), false, command);
    }

    private static String badGrid(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> (2049 + r.nextInt(100_000)) + "x" + (1 + r.nextInt(64));
            case 1 -> (1 + r.nextInt(64)) + "x" + (-r.nextInt(100));
            case 2 -> "9".repeat(12) + "x4";
            default -> garbage(r);
        };
    }

    private static String badProbability(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Double.toString(1 + r.nextDouble() * 100);
            case 1 -> "0";
            case 2 -> "NaN";
            default -> garbage(r);
        };
    }

    /** --factor takes above 1 (to 100 in a config), --scale (0, 16]. */
    private static String badScale(Random r, long max) {
        return switch (r.nextInt(4)) {
            case 0 -> max == 16 ? Double.toString(16 + 1e-3 + r.nextDouble() * 1e6) : Double.toString(r.nextDouble());
            case 1 -> Double.toString(-r.nextDouble() * 10);
            case 2 -> List.of("NaN", "Infinity", "-Infinity").get(r.nextInt(3));
            default -> garbage(r);
        };
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(Arrays.asList(more));
        return out;
    }

    /** A small valid config and, per line, how to make one of its values wrong. */
    static final String CONFIG = """
            name: fuzz
            backends: [onnxruntime]
            devices: [cpu]
            dtypes: [float32]
            workloads:
              - attention: {grids: [8x8], channels: 16, heads: 2, batch: 1, inputs: synthetic}
              - unet: {model: tiny, resolutions: [64], steps: 2, scheduler: ddim, guidance: 7.5}
            variants: [dense, "todo:factor=2"]
            timing: {warmup: 1, iterations: 3, forks: 0, min_time_s: 0}
            fidelity: {samples: 1, reference: dense}
            gate: {speedup_factor: 1.1, p_value: 0.01}
            ceilings: false
            seed: 0
            """;

    @Test
    void configsWithOneWrongValueAreRefusedAtIt() throws Exception {
        Random r = new Random(SEED + 1);
        Map<String, Function<Random, String>> values = Map.ofEntries(
                Map.entry("grids: [8x8]", x -> "grids: [" + quoted(badGrid(x)) + "]"),
                Map.entry("channels: 16", x -> "channels: " + yamlBadInt(x, 1, 4096)),
                Map.entry("heads: 2", x -> "heads: " + yamlBadInt(x, 1, 256)),
                Map.entry("batch: 1", x -> "batch: " + yamlBadInt(x, 1, 256)),
                Map.entry("steps: 2", x -> "steps: " + yamlBadInt(x, 1, 1000)),
                Map.entry("warmup: 1", x -> "warmup: " + yamlBadInt(x, 0, 10_000)),
                Map.entry("iterations: 3", x -> "iterations: " + yamlBadInt(x, 1, 100_000)),
                Map.entry("forks: 0", x -> "forks: " + yamlBadInt(x, 0, 100)),
                Map.entry("samples: 1", x -> "samples: " + yamlBadInt(x, 1, 10_000)),
                Map.entry("seed: 0", x -> "seed: " + yamlBadInt(x, 0, Integer.MAX_VALUE)),
                Map.entry("resolutions: [64]", x -> "resolutions: [" + quoted(x.nextBoolean() ? Integer.toString(16385 + x.nextInt(1 << 20))
                        : garbage(x)) + "]"),
                Map.entry("guidance: 7.5", x -> "guidance: " + (x.nextBoolean() ? "-" + (1 + x.nextInt(100)) : quoted(garbage(x)))),
                Map.entry("speedup_factor: 1.1", x -> "speedup_factor: " + (x.nextBoolean() ? "0.5" : quoted(garbage(x)))),
                Map.entry("backends: [onnxruntime]", x -> "backends: [" + quoted(garbage(x)) + "]"),
                Map.entry("devices: [cpu]", x -> "devices: [" + quoted(garbage(x)) + "]"),
                Map.entry("dtypes: [float32]", x -> "dtypes: [" + quoted(garbage(x)) + "]"),
                Map.entry("model: tiny", x -> "model: " + quoted("no-such-" + garbage(x))),
                Map.entry("scheduler: ddim", x -> "scheduler: " + quoted(garbage(x))),
                Map.entry("inputs: synthetic", x -> "inputs: " + quoted(garbage(x))),
                Map.entry("\"todo:factor=2\"", x -> quoted("todo:factor=" + garbage(x))),
                Map.entry("ceilings: false", x -> "ceilings: " + quoted(garbage(x))),
                Map.entry("reference: dense", x -> "reference: " + quoted("tome:ratio=" + garbage(x))));
        List<String> keys = values.keySet().stream().sorted().toList();
        Path config = dir.resolve("fuzz.yaml");
        Path out = dir.resolve("run");
        for (int i = 0; i < 150; i++) {
            byte[] text;
            String what;
            switch (r.nextInt(10)) {
                case 0 -> { // an unknown key
                    String key = "k" + Integer.toString(r.nextInt(1 << 30), 36);
                    what = "unknown key " + key;
                    text = CONFIG.replace("seed: 0", "seed: 0\n" + key + ": 1").getBytes(StandardCharsets.UTF_8);
                }
                case 1 -> { // a byte that is not UTF-8
                    byte[] b = CONFIG.getBytes(StandardCharsets.UTF_8);
                    int at = r.nextInt(b.length);
                    text = new byte[b.length + 1];
                    System.arraycopy(b, 0, text, 0, at);
                    text[at] = (byte) (0x80 + r.nextInt(0x40)); // a continuation byte with no lead byte
                    System.arraycopy(b, at, text, at + 1, b.length - at);
                    what = "invalid UTF-8 at byte " + at;
                }
                default -> {
                    String key = keys.get(r.nextInt(keys.size()));
                    String wrong = values.get(key).apply(r);
                    what = key + " -> " + wrong;
                    text = CONFIG.replace(key, wrong).getBytes(StandardCharsets.UTF_8);
                }
            }
            Files.write(config, text);
            List<String> before = listing();
            boolean asRun = i % 10 == 0;
            CliRun run = asRun ? CliRun.of("run", config.toString(), "--out", out.toString()) : CliRun.of("validate", config.toString());
            String report = what + "\n" + run.out() + run.err();
            assertEquals(ExitCode.USER_ERROR, run.exitCode(), report);
            assertTrue(!run.errLines().isEmpty() && run.errLines().stream().allMatch(l -> l.startsWith("error: ")), report);
            assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), report);
            assertEquals("", run.out(), report);
            assertEquals(before, listing(), "nothing written: " + report);
        }
    }

    /** An integer outside min..max, a number that is not an integer, or no number. */
    private static String yamlBadInt(Random r, long min, long max) {
        return switch (r.nextInt(5)) {
            case 0 -> Long.toString(min - 1 - r.nextInt(1000));
            case 1 -> Long.toString(max + 1 + (long) r.nextInt(1 << 30));
            case 2 -> "9".repeat(20 + r.nextInt(10));
            case 3 -> (min + 0.5) + "";
            default -> quoted(garbage(r));
        };
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t").replace("\u0000", "\\0") + "\"";
    }
}
