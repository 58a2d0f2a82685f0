package org.attnbench.harness.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.PromptSettings;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.jmh.JmhCellRunner;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.store.AtomicFiles;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.RunFolder;
import org.attnbench.store.StoreJson;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;
import org.attnbench.workloads.Workload;
import org.attnbench.workloads.text.PromptCache;

/**
 * A sweep's prompts, encoded once per run before any cell runs: for each pipeline folder (and
 * weights variant) its denoising cells name, the prompts the run's cache lacks are encoded by that
 * pipeline's text encoders in a JVM of their own ({@link EncodePromptsJob}), which has exited before
 * the first cell's fork reads a denoiser, so a run's peak memory is the larger of encoding's and
 * denoising's, never their sum. Every cell, on every backend, samples the same cached states (they
 * are computed on ONNX Runtime on the CPU), and a resumed run encodes nothing it has. The time it
 * took and the encoding process's peak resident memory are recorded in the cache's
 * {@link PromptEncoding}, apart from any cell's step times.
 */
final class PromptEncodings {
    private final Map<String, Path> folders = new LinkedHashMap<>();

    private PromptEncodings() {}

    /** Nothing to encode: a sweep without prompts. */
    static PromptEncodings none() {
        return new PromptEncodings();
    }

    /** Encodes what the cells {@code todo} need and the run does not hold yet; prints one line per pipeline. */
    static PromptEncodings prepare(RunFolder run, SweepConfig config, List<Cell> todo, PrintStream out) {
        PromptEncodings e = new PromptEncodings();
        PromptSettings prompts = config.prompts();
        if (prompts == null) return e;
        for (Cell cell : todo) {
            if (!(cell.point() instanceof Point.Denoising u) || u.workload().pipeline() == null) continue;
            Workload.Denoising w = u.workload();
            String id = id(w);
            if (!e.folders.containsKey(id)) e.folders.put(id, encode(run, config, w, out));
        }
        return e;
    }

    /** The encoded prompts a cell samples, or null for a cell without them. */
    Path folderOf(Cell cell) {
        return cell.point() instanceof Point.Denoising u && u.workload().pipeline() != null ? folders.get(id(u.workload())) : null;
    }

    private static String id(Workload.Denoising w) {
        return w.pipeline().toAbsolutePath().normalize() + "|" + w.weightsVariant();
    }

    private static Path encode(RunFolder run, SweepConfig config, Workload.Denoising w, PrintStream out) {
        PromptSettings prompts = config.prompts();
        PipelineFolder folder = PipelineFolder.open(w.pipeline(), w.weightsVariant());
        String key = PromptCache.key(folder, prompts.negativePrompt(), prompts.maxSequenceLength());
        Path dir = run.dir().resolve(PromptEncoding.FOLDER).resolve(key);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<PromptEncoding.Entry> entries = prompts.set().prompts().stream()
                .map(p -> new PromptEncoding.Entry(p, PromptCache.fileOf(p))).toList();
        List<PromptEncoding.Session> sessions = Files.isRegularFile(dir.resolve(PromptEncoding.FILE))
                ? PromptEncoding.read(dir).sessions() : List.of();
        PromptEncoding encoding = new PromptEncoding(folder.root().toString(), folder.pipelineClass(), folder.variant(),
                prompts.negativePrompt(), prompts.maxSequenceLength(), prompts.set().name(), prompts.imagesPerPrompt(),
                config.seed(), entries, sessions);
        encoding.write(dir);
        List<String> missing = prompts.set().prompts().stream().distinct()
                .filter(p -> !Files.isRegularFile(dir.resolve(PromptCache.fileOf(p)))).toList();
        String where = run.relative(dir);
        if (missing.isEmpty()) {
            out.println("prompts: all " + entries.size() + " of " + prompts.describe() + " already encoded in " + where);
            return dir;
        }
        out.println("encoding " + missing.size() + " prompts of " + prompts.describe() + " with " + PipelineModel.displayName(w.pipeline())
                + " (" + folder.pipelineClass() + ") on " + EncodePromptsJob.BACKEND + " cpu -> " + where);
        String started = Instant.now().toString();
        EncodePromptsJob.Result r = runJob(dir, new EncodePromptsJob.Request(folder.root().toString(), folder.variant(),
                prompts.negativePrompt(), prompts.maxSequenceLength(), missing, dir.toString(),
                dir.resolve("result.json").toString()), config, out);
        encoding.withSession(new PromptEncoding.Session(started, r.encoded(), r.seconds(), r.peakRssMb(),
                EncodePromptsJob.BACKEND + " cpu")).write(dir);
        out.printf(java.util.Locale.ROOT, "prompts encoded in %.1f s, peak memory of the encoding process %.0f MiB%n",
                r.seconds(), r.peakRssMb());
        return dir;
    }

    /** Runs the job in a JVM of its own; its lines are passed on, its one-line error becomes this run's. */
    private static EncodePromptsJob.Result runJob(Path dir, EncodePromptsJob.Request request, SweepConfig config, PrintStream out) {
        Path requestFile = dir.resolve("request.json");
        Path resultFile = Path.of(request.result());
        AtomicFiles.writeString(requestFile, StoreJson.PRETTY.toJson(request));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(JmhCellRunner.forkArgs(config.timing())));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EncodePromptsJob.class.getName(), requestFile.toString()));
        String error = null;
        int code;
        try {
            Files.deleteIfExists(resultFile);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("error: ")) error = line.substring("error: ".length());
                    else out.println("  " + line);
                }
            }
            code = p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding prompts", e);
        }
        try {
            Files.deleteIfExists(requestFile);
            if (code == 2 && error != null) throw new UserError(error);
            if (code != 0 || !Files.isRegularFile(resultFile)) {
                throw new IllegalStateException("encoding the prompts failed (exit code " + code + "; see the lines above)");
            }
            EncodePromptsJob.Result r = StoreJson.COMPACT.fromJson(Files.readString(resultFile), EncodePromptsJob.Result.class);
            Files.delete(resultFile);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
