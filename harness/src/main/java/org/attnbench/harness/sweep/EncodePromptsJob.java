package org.attnbench.harness.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.metrics.memory.PeakRss;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.store.AtomicFiles;
import org.attnbench.store.StoreJson;
import org.attnbench.workloads.text.PromptCache;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.TextEncoders;

/**
 * The JVM a sweep starts to encode its prompts ({@link PromptEncodings}): it reads a request, encodes
 * the prompts with the pipeline's own tokenizers and text encoders on ONNX Runtime on the CPU (one
 * encoder held at a time), writes one file per prompt into the run's cache, and exits, so every byte
 * of the encoders is returned before any cell reads a denoiser. Its result says how long that took
 * and the process's peak resident memory (VmHWM). A user mistake ends it with {@code error: ...} and
 * exit code 2, anything else with exit code 1.
 */
public final class EncodePromptsJob {
    static final String BACKEND = "onnxruntime";

    /** What to encode, and where the files go. */
    record Request(String pipeline, String variant, String negativePrompt, Integer maxSequenceLength, List<String> prompts,
            String folder, String result) {}

    /** How it went: prompts encoded, seconds (the encoders' loading included), peak resident memory in MiB. */
    record Result(int encoded, double seconds, double peakRssMb) {}

    private EncodePromptsJob() {}

    public static void main(String[] args) {
        int code = 0;
        try {
            run(Path.of(args[0]));
        } catch (UserError e) {
            System.err.println("error: " + e.getMessage());
            code = 2;
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code); // runtimes' threads must not keep the process (and its memory) alive
    }

    static void run(Path requestFile) {
        long t0 = System.nanoTime();
        Request r;
        try {
            r = StoreJson.COMPACT.fromJson(Files.readString(requestFile), Request.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PipelineFolder folder = PipelineFolder.open(Path.of(r.pipeline()), r.variant());
        Backend backend = Backends.byName(BACKEND);
        PromptEncoder encoder = PromptEncoder.of(folder, TextEncoders.of(folder, backend, Device.CPU), r.maxSequenceLength(),
                System.err::println);
        int encoded = PromptCache.encodeMissing(encoder, Path.of(r.folder()), r.prompts(), r.negativePrompt(), System.out::println);
        Result result = new Result(encoded, (System.nanoTime() - t0) / 1e9, PeakRss.megabytes());
        AtomicFiles.writeString(Path.of(r.result()), StoreJson.PRETTY.toJson(result));
    }
}
