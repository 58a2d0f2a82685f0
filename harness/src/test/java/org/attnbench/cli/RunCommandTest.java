package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Machine;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.tensor.HostTensor;
import org.attnbench.schemas.SchemaCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    static Path config(Path dir, String name, String yaml) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Two backends, one small grid, three variants; in-process timing so the test stays quick. */
    static final String TINY = """
            name: tiny
            backends: [onnxruntime, djl]
            workloads:
              - attention: {grids: [6x6], channels: 16, heads: 2}
            variants: [dense, "todo:factor=2", "todo:factor=1"]
            timing: {warmup: 1, iterations: 3, forks: 0}
            fidelity: {samples: 2}
            ceilings: false
            """;

    static Map<String, ResultRow> byVariant(RunFolder run, String backend) {
        return run.rows().stream().filter(r -> r.cell().backend().equals(backend))
                .collect(Collectors.toMap(r -> r.cell().variant(), Function.identity()));
    }

    @Test
    void runsEveryCellRecordsItsRowAndComparesWithDense(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("run", config(dir, "tiny", TINY).toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("[6/6] djl cpu float32 attention 6x6 todo:factor=1,method=nearest-exact"), run.out());
        assertTrue(run.out().contains("results: " + out.resolve("rows.csv")), run.out());

        RunFolder folder = RunFolder.open(out);
        assertEquals(6, SchemaCheck.assertRunValid(out));
        assertEquals(6, folder.rows().size());
        assertEquals(7, Files.readAllLines(out.resolve(RunFolder.ROWS_CSV)).size());
        assertEquals(6, Files.readAllLines(out.resolve(RunFolder.ROWS_JSONL)).size());
        assertEquals("tiny", folder.manifest().name());
        assertTrue(folder.manifest().finishedAt() != null);
        assertTrue(folder.manifest().versions().containsKey("onnxruntime"), folder.manifest().versions().toString());
        for (String backend : List.of("onnxruntime", "djl")) {
            Map<String, ResultRow> rows = byVariant(folder, backend);
            ResultRow dense = rows.get("dense");
            ResultRow same = rows.get("todo:factor=1,method=nearest-exact");
            ResultRow todo = rows.get("todo:factor=2,method=nearest-exact");
            assertEquals(dense.cell().id(), todo.cell().referenceId());
            assertEquals(Map.of("factor", "2", "method", "nearest-exact"), todo.cell().params(), "the method's defaults too");
            assertEquals(3, dense.timing().samplesMs().size());
            // todo:factor=1 is dense: its outputs equal dense's to float32 rounding
            assertEquals(2, same.quality().samples());
            assertTrue(same.quality().mse() < 1e-12, "mse " + same.quality().mse());
            assertTrue(todo.quality().mse() > 1e-8, "factor 2 changes the output: mse " + todo.quality().mse());
            assertTrue(todo.quality().cosine() < 1 && todo.quality().cosine() > 0.5);
            assertTrue(todo.speedup().ratio() > 0 && todo.speedup().low() <= todo.speedup().high());
            assertTrue(Double.isNaN(dense.speedup().ratio()), "the reference has no speedup");
            assertTrue(dense.quality().hpf() > 0 && Double.isNaN(dense.quality().mse()));
            assertEquals(todo.quality().hpfReference(), dense.quality().hpf(), 1e-12);
            assertTrue(todo.cost().flops() < dense.cost().flops());
            assertTrue(todo.timing().tokensPerS() > 0);
            assertTrue(Files.exists(out.resolve(todo.files().get("outputs"))));
        }
    }

    @Test
    void aFailingCellIsRecordedWithItsReasonAndTheSweepGoesOn(@TempDir Path dir) throws Exception {
        // the forks get a 48 MiB heap: the copy ceiling's 128 MiB input cannot fit, the attention cells can
        Path c = config(dir, "oom", """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [4x4], channels: 16, heads: 2}
                variants: [dense]
                timing: {warmup: 0, iterations: 2, forks: 1, jvm_args: [-Xmx48m]}
                """);
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("run", c.toString(), "--out", out.toString());
        assertEquals(ExitCode.FAILED_CELLS, run.exitCode(), "a failed cell makes the exit code 3: " + run.out() + run.err());
        Map<String, ResultRow> rows = RunFolder.open(out).rows().stream()
                .collect(Collectors.toMap(r -> r.cell().model(), Function.identity()));
        ResultRow copy = rows.get("copy");
        assertEquals(CellStatus.FAILED, copy.status());
        assertTrue(copy.error().contains("out of memory"), copy.error());
        assertTrue(copy.timing() == null && Double.isNaN(copy.medianMs()));
        assertEquals(CellStatus.OK, rows.get("attention-c16h2").status(), "the sweep went on");
        assertTrue(run.out().contains("FAILED: out of memory"), run.out());

        // a resume keeps recorded cells, failed ones too, unless asked to retry them
        CliRun resumed = CliRun.of("run", "--resume", out.toString());
        assertTrue(resumed.out().contains("resuming: 3 of 3 cells already recorded"), resumed.out());
        CliRun retried = CliRun.of("run", "--resume", out.toString(), "--retry-failed");
        assertTrue(retried.out().contains("resuming: 2 of 3 cells already recorded"), retried.out());
        ResultRow again = RunFolder.open(out).rows().stream().filter(r -> r.cell().model().equals("copy")).findFirst().orElseThrow();
        assertTrue(again.startedAt().compareTo(copy.startedAt()) > 0, "measured again");
        assertEquals(3, SchemaCheck.assertRunValid(out), "failed rows, ceilings and a resumed manifest hold to their schemas");
    }

    @Test
    void cellsThatCannotBeBuiltAreSkippedWithTheReason(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("unet.safetensors");
        Files.write(weights, new byte[] {1, 2, 3});
        Path c = config(dir, "corrupt", """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: tiny, resolutions: [64], steps: 1, weights: WEIGHTS}
                variants: [dense]
                timing: {warmup: 0, iterations: 1, forks: 0}
                ceilings: false
                """.replace("WEIGHTS", weights.toString()));
        ResultRow row = onlyRow(dir, c);
        assertEquals(CellStatus.SKIPPED, row.status());
        assertTrue(row.error().contains("unet.safetensors"), row.error());
    }

    @Test
    void onnxRuntimeRunsFloat16CellsThroughAConvertedGraph(@TempDir Path dir) throws Exception {
        Path c = config(dir, "fp16", """
                backends: [onnxruntime]
                dtypes: [float16]
                workloads:
                  - attention: {grids: [4x4], channels: 16, heads: 2}
                variants: [dense]
                timing: {warmup: 0, iterations: 1, forks: 0}
                ceilings: false
                """);
        ResultRow row = onlyRow(dir, c);
        assertEquals(CellStatus.OK, row.status(), String.valueOf(row.error()));
        assertEquals("float16", row.cell().dtype());
    }

    @Test
    void backendOptionsReachTheSessionAndAreRecorded(@TempDir Path dir) throws Exception {
        Path c = config(dir, "options", """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [4x4], channels: 16, heads: 2}
                variants: [dense]
                backend_options:
                  onnxruntime: {weights: per-session, arena: "off", optimization: basic}
                timing: {warmup: 0, iterations: 1, forks: 0, threads: 1}
                ceilings: false
                """);
        ResultRow row = onlyRow(dir, c);
        assertEquals(CellStatus.OK, row.status(), String.valueOf(row.error()));
        assertEquals("1", row.settings().get("intra_op_threads"), "timing.threads is each operator's thread count");
        assertEquals("per-session", row.settings().get("weights"));
        assertEquals("off", row.settings().get("cpu_arena"), "the config's choice wins over the lone cell's default");
        assertEquals("basic", row.settings().get("optimization"));
    }

    @Test
    void anAttentionCellAloneInItsProcessKeepsItsMemoryInOnnxRuntimesArenaADenoisingCellNever(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("run", config(dir, "alone", """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [4x4], channels: 16, heads: 2}
                  - unet: {model: tiny, resolutions: [64], steps: 1}
                variants: [dense]
                timing: {warmup: 0, iterations: 1, forks: 0}
                ceilings: false
                """).toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        Map<String, ResultRow> byWorkload = RunFolder.open(out).rows().stream()
                .collect(Collectors.toMap(r -> r.cell().workload().toString(), Function.identity()));
        assertEquals("on", byWorkload.get("attention").settings().get("cpu_arena"));
        assertEquals("off", byWorkload.get("attention").settings().get("memory_pattern"));
        // a method's schedule of several graphs could not keep it without a peak per graph, so no variant does
        assertEquals("off", byWorkload.get("unet").settings().get("cpu_arena"));
    }

    @Test
    void theUnetCommandAndASweepCellSeedAlike(@TempDir Path dir) throws Exception {
        Path c = config(dir, "seeded", """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: tiny, resolutions: [64], steps: 2, guidance: 1.5}
                variants: [dense]
                timing: {warmup: 0, iterations: 1, forks: 0}
                fidelity: {samples: 1}
                ceilings: false
                seed: 5
                """);
        ResultRow row = onlyRow(dir, c);
        assertEquals(CellStatus.OK, row.status(), String.valueOf(row.error()));
        HostTensor fromSweep = Safetensors.read(dir.resolve("run").resolve(row.files().get("outputs"))).get("sample_0");
        Path latents = dir.resolve("latents.safetensors");
        CliRun unet = CliRun.of("unet", "--model", "tiny", "--resolution", "64", "--steps", "2", "--guidance", "1.5",
                "--seed", "5", "--save-latents", latents.toString());
        assertEquals(0, unet.exitCode(), unet.out() + unet.err());
        float[] a = fromSweep.toFloats();
        float[] b = Safetensors.read(latents).get(UNetCommand.LATENTS).toFloats();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5, "latent " + i);
    }

    @Test
    void aDiffusionTransformerRunsInASweepAndAsTheUnetCommandDoes(@TempDir Path dir) throws Exception {
        Sweep pixart = transformerSweepOnBothBackends(dir, "pixart-tiny", "PixArtTransformer2DModel", 4, 3, "dpm++2m", 2,
                "todo:factor=2");
        assertTrue(pixart.unetOut().contains("scheduler: dpm++2m, 3 steps, guidance 2.0 (batch 2)"), pixart.unetOut());
        Path firstBlock = dir.resolve("first-block.safetensors");
        CliRun patched = CliRun.of("unet", "--model", "pixart-tiny", "--resolution", "128", "--steps", "3", "--guidance", "2",
                "--scheduler", "dpm++2m", "--seed", "3", "--variant", "todo:factor=2", "--blocks", "0-0", "--save-latents",
                firstBlock.toString());
        assertEquals(0, patched.exitCode(), patched.out() + patched.err());
        float[] one = Safetensors.read(firstBlock).get(UNetCommand.LATENTS).toFloats();
        ResultRow todo = byVariant(RunFolder.open(pixart.out()), "onnxruntime").get("todo:factor=2,method=nearest-exact");
        float[] all = Safetensors.read(pixart.out().resolve(todo.files().get("outputs"))).get("sample_0").toFloats();
        assertTrue(maxDifference(one, all) > 1e-6 && maxDifference(one, pixart.dense()) > 1e-6,
                "ToDo on block 0 alone is neither dense nor ToDo on every block");
    }

    @Test
    void sd3SamplesByFlowEulerInASweepOnBothBackends(@TempDir Path dir) throws Exception {
        Sweep sd3 = transformerSweepOnBothBackends(dir, "sd3-tiny", "SD3Transformer2DModel", 16, 2, "euler", 2,
                "todo:factor=2,switch=0");
        assertTrue(sd3.unetOut().contains("step 1/2  t=1000  graph 1"), sd3.unetOut());
    }

    @Test
    void fluxSamplesWithItsGuidanceEmbeddedInASweepOnBothBackends(@TempDir Path dir) throws Exception {
        Sweep flux = transformerSweepOnBothBackends(dir, "flux-tiny", "FluxTransformer2DModel", 16, 2, "euler", 3.5,
                "todo:factor=2,switch=0");
        assertTrue(flux.unetOut().contains("step 1/2  t=1000  graph 1"), flux.unetOut());
        Path latents = dir.resolve("other-guidance.safetensors");
        CliRun other = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "128", "--steps", "2", "--guidance", "1.5",
                "--scheduler", "euler", "--seed", "3", "--save-latents", latents.toString());
        assertEquals(0, other.exitCode(), other.out() + other.err());
        assertTrue(maxDifference(flux.dense(), Safetensors.read(latents).get(UNetCommand.LATENTS).toFloats()) > 1e-3,
                "the guidance scale reaches the model");
    }

    /** A transformer sweep's run folder, ONNX Runtime's dense latents, and what the unet command printed. */
    private record Sweep(Path out, float[] dense, String unetOut) {}

    /**
     * A diffusion transformer's sweep, dense, ToDo and ToMe on both backends at 128 px: every cell
     * ran, the methods change the latents, both backends sample the same latents, and the unet
     * command samples what the sweep's dense cell sampled.
     */
    private static Sweep transformerSweepOnBothBackends(Path dir, String model, String modelClass, int channels, int steps,
            String scheduler, double guidance, String todo) throws Exception {
        Path c = config(dir, model, """
                backends: [onnxruntime, djl]
                workloads:
                  - unet: {model: MODEL, resolutions: [128], steps: STEPS, guidance: GUIDANCE, scheduler: SCHEDULER}
                variants: [dense, "TODO", "tome:ratio=0.5"]
                timing: {warmup: 0, iterations: 1, forks: 0}
                fidelity: {samples: 1}
                ceilings: false
                seed: 3
                """.replace("MODEL", model).replace("STEPS", Integer.toString(steps))
                .replace("GUIDANCE", Double.toString(guidance)).replace("SCHEDULER", scheduler).replace("TODO", todo));
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("run", c.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        RunFolder folder = RunFolder.open(out);
        assertEquals(6, SchemaCheck.assertRunValid(out), "denoising rows with their phases hold to the schema");
        assertEquals(6, folder.rows().size());
        for (ResultRow row : folder.rows()) {
            assertEquals(CellStatus.OK, row.status(), row.cell().variant() + ": " + row.error());
            assertEquals(model, row.cell().model());
            assertEquals(modelClass, row.cell().modelClass());
            if (!row.cell().variant().startsWith("dense")) {
                assertTrue(row.quality().mse() > 0, row.cell().variant() + " changes the latents");
            }
        }
        HostTensor a = Safetensors.read(out.resolve(byVariant(folder, "onnxruntime").get("dense").files().get("outputs")))
                .get("sample_0");
        HostTensor b = Safetensors.read(out.resolve(byVariant(folder, "djl").get("dense").files().get("outputs")))
                .get("sample_0");
        assertArrayEquals(new long[] {1, channels, 16, 16}, a.shape());
        assertArrayEquals(a.toFloats(), b.toFloats(), 1e-4f, "both backends sample the same latents");
        Path latents = dir.resolve("latents.safetensors");
        CliRun unet = CliRun.of("unet", "--model", model, "--resolution", "128", "--steps", Integer.toString(steps), "--guidance",
                Double.toString(guidance), "--scheduler", scheduler, "--seed", "3", "--save-latents", latents.toString());
        assertEquals(0, unet.exitCode(), unet.out() + unet.err());
        assertArrayEquals(a.toFloats(), Safetensors.read(latents).get(UNetCommand.LATENTS).toFloats(), 1e-5f,
                "the unet command samples what the sweep's cell sampled");
        return new Sweep(out, a.toFloats(), unet.out());
    }

    @Test
    void aFullFluxInFloat32IsRefusedBeforeItRunsWhereItsWeightsDoNotFit(@TempDir Path dir) throws Exception {
        Path c = config(dir, "flux-dev", """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: flux-dev, resolutions: [1024], steps: 1, guidance: 3.5, scheduler: euler}
                variants: ["dense:kernel=fused"]
                ceilings: false
                """);
        CliRun run = CliRun.of("validate", c.toString());
        // 11.9 billion float32 parameters: 47.6 GB of weights
        if (Machine.current().memoryGb() * 1.073741824 < 47.6) {
            assertEquals(2, run.exitCode(), run.out() + run.err());
            assertTrue(run.err().contains("flux-dev 1024px dense:kernel=fused needs at least 48.")
                    && run.err().contains("(weights 47.6 GB") && run.err().contains("its weights alone do not fit"), run.err());
        } else {
            assertEquals(0, run.exitCode(), run.out() + run.err());
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    /** Runs a one-cell config; the run must exit 0. */
    private static ResultRow onlyRow(Path dir, Path config) {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("run", config.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        SchemaCheck.assertRunValid(out);
        return RunFolder.open(out).rows().get(0);
    }

    @Test
    void onlyTheChosenFidelityMetricsAreRecorded(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String yaml = TINY.replace("fidelity: {samples: 2}", "fidelity: {samples: 1, metrics: [mse, hpf]}")
                .replace("backends: [onnxruntime, djl]", "backends: [onnxruntime]");
        assertEquals(0, CliRun.of("run", config(dir, "some", yaml).toString(), "--out", out.toString()).exitCode());
        ResultRow todo = byVariant(RunFolder.open(out), "onnxruntime").get("todo:factor=2,method=nearest-exact");
        assertTrue(todo.quality().mse() > 0 && todo.quality().hpf() > 0);
        assertTrue(Double.isNaN(todo.quality().cosine()) && Double.isNaN(todo.quality().psnrDb()));
    }

    @Test
    void resumeTakesNothingThatWouldChangeTheRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, CliRun.of("run", config(dir, "tiny", TINY).toString(), "--out", out.toString()).exitCode());
        CliRun.of("run", "--resume", out.toString(), "--shard", "1/2").assertOneErrorLine("leave out --out, --shard");
        CliRun.of("run", "--resume", out.toString(), "--set", "seed=3").assertOneErrorLine("leave out --out, --shard");
        Path rowsOnly = Files.createDirectories(dir.resolve("baseline"));
        Files.copy(out.resolve(RunFolder.MANIFEST), rowsOnly.resolve(RunFolder.MANIFEST));
        Files.copy(out.resolve(RunFolder.ROWS_JSONL), rowsOnly.resolve(RunFolder.ROWS_JSONL));
        CliRun.of("run", "--resume", rowsOnly.toString()).assertOneErrorLine("is not a run folder");
        assertEquals(6, Files.readAllLines(rowsOnly.resolve(RunFolder.ROWS_JSONL)).size(), "left as it was");
    }

    @Test
    void aRunFolderIsNeverOverwrittenAndAMissingDeviceIsOneLine(@TempDir Path dir) throws Exception {
        Path c = config(dir, "tiny", TINY);
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run").resolve(RunFolder.MANIFEST), "{}");
        CliRun.of("run", c.toString(), "--out", dir.resolve("run").toString()).assertOneErrorLine("--resume");
        CliRun.of("run", c.toString(), "--set", "backends=[onnxruntime]", "--set", "devices=cuda", "--out",
                dir.resolve("gpu").toString()).assertOneErrorLine("remove cuda:0 from 'devices'");
        assertFalse(Files.exists(dir.resolve("gpu")), "nothing is written before the devices are checked");
    }

    @Test
    void aCellRecordCutShortIsSetAsideOnResumeAndItsCellMeasuredAgain(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String yaml = TINY.replace("backends: [onnxruntime, djl]", "backends: [onnxruntime]");
        assertEquals(0, CliRun.of("run", config(dir, "tiny", yaml).toString(), "--out", out.toString()).exitCode());
        RunFolder run = RunFolder.open(out);
        ResultRow todo = byVariant(run, "onnxruntime").get("todo:factor=2,method=nearest-exact");
        Path row = run.cellDir(todo.cell().id()).resolve(RunFolder.ROW);
        String text = Files.readString(row);
        Files.writeString(row, text.substring(0, text.length() / 2)); // a crash in the middle of a write

        CliRun.of("report", out.toString()).assertOneErrorLine("resume the run");
        CliRun resumed = CliRun.of("run", "--resume", out.toString());
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        List<String> warnings = resumed.outLines().stream().filter(l -> l.startsWith("warning: ")).toList();
        assertEquals(1, warnings.size(), resumed.out());
        assertTrue(warnings.get(0).startsWith("warning: cells/" + RunFolder.key(todo.cell().id()) + "/row.json is unreadable (")
                && warnings.get(0).endsWith("): set aside as row.json.unreadable, its cell is measured again"), warnings.get(0));
        assertTrue(resumed.out().contains("resuming: 2 of 3 cells already recorded"), resumed.out());
        ResultRow again = byVariant(RunFolder.open(out), "onnxruntime").get("todo:factor=2,method=nearest-exact");
        assertTrue(again.ok() && again.startedAt().compareTo(todo.startedAt()) > 0, "measured again");
        assertEquals(text.substring(0, text.length() / 2), Files.readString(row.resolveSibling("row.json.unreadable")));
        assertEquals(3, SchemaCheck.assertRunValid(out));
    }

    @Test
    void resumingWithAnotherConfigIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, CliRun.of("run", config(dir, "tiny", TINY).toString(), "--out", out.toString()).exitCode());
        Path other = config(dir, "other", TINY.replace("iterations: 3", "iterations: 4"));
        CliRun.of("run", other.toString(), "--resume", out.toString()).assertOneErrorLine("differs from the config");
        CliRun again = CliRun.of("run", "--resume", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("resuming: 6 of 6 cells already recorded"), again.out());
    }
}
