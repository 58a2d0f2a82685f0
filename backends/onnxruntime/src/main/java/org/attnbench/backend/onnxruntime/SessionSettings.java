package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.tensor.DType;

/** Translates attnbench compile options into ORT session options, and records what was used. */
final class SessionSettings {
    private static final Map<String, OptLevel> OPT_LEVELS = Map.of(
            "disable", OptLevel.NO_OPT,
            "basic", OptLevel.BASIC_OPT,
            "extended", OptLevel.EXTENDED_OPT,
            "all", OptLevel.ALL_OPT);

    /** How a session holds in-memory weights (see {@link WeightInputs}). */
    enum Weights {
        /** Graph inputs fed from one set of tensors: held once per process, read in place. */
        SHARED,
        /** Initializers copied into each session, which folds and packs them: a copy per session. */
        PER_SESSION
    }

    /** What a config may set (see the README's backend options). */
    static final Map<String, List<String>> OPTIONS = Map.of(
            "optimization", List.of("all", "extended", "basic", "disable"),
            "weights", List.of("shared", "per-session"),
            "conv_layout", List.of("nchwc", "nchw"),
            "arena", List.of("off", "on"));

    private final Map<String, String> recorded = new LinkedHashMap<>();
    private final Weights weights;
    /** Channels per block of the filters a shared session reads blocked; 0 where it reads them as they are. */
    private final int convBlock;
    private final SessionOptions options;
    /** Where ORT writes its profile, when the session profiles; null otherwise. */
    private final Path profileDir;

    /** The caller owns the returned session options and closes them once the session exists. */
    SessionSettings(Device device, CompileOptions compile) {
        String optimization = option(compile, "optimization", "all");
        OptLevel level = OPT_LEVELS.get(optimization);
        // Shared weights on the CPU; a CUDA session would copy input weights to the device on every
        // run, so there each session holds its own device copy unless asked otherwise.
        weights = option(compile, "weights", device.isCuda() ? "per-session" : "shared").equals("shared")
                ? Weights.SHARED : Weights.PER_SESSION;
        // With shared weights ORT cannot block the filters itself; they are blocked once per process
        // instead (see BlockedConvolutions). A per-session copy ORT blocks at load.
        boolean blocked = option(compile, "conv_layout", "nchwc").equals("nchwc");
        convBlock = weights == Weights.SHARED && blocked && !device.isCuda() && BlockedConvolutions.blockSize() > 1
                ? BlockedConvolutions.blockSize() : 0;
        // ORT's CPU arena keeps a session's activations for its next run, so it is on for a graph its
        // process runs alone: glibc hands blocks over 32 MB back to the OS and faults them in again on
        // every run (ToDo's naive 64x64 block took up to 1.6x tcmalloc's time), the arena does not.
        // It is off where several graphs are alive (a timestep schedule, interleaved cells), which
        // would each hold their peak side by side; their activations go back to the allocator.
        boolean arena = option(compile, "arena", compile.soleGraph() ? "on" : "off").equals("on");
        options = new SessionOptions();
        try {
            // Errors reach the user as exceptions; native log lines would only duplicate them on stderr.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            options.setOptimizationLevel(level);
            options.setCPUArenaAllocator(arena);
            // No memory pattern on the CPU. With the arena on, the arena would hold the first run's
            // blocks and the pattern's single block after them: twice the peak. With it off, every run
            // would take that one block, over glibc's 32 MB threshold, from the OS afresh, where
            // tensors taken one by one mostly stay in glibc's heaps (a tiny UNet's step 1.3x faster).
            if (!device.isCuda()) options.setMemoryPatternOptimization(false);
            if (compile.intraOpThreads() > 0) options.setIntraOpNumThreads(compile.intraOpThreads());
            if (compile.interOpThreads() > 0) options.setInterOpNumThreads(compile.interOpThreads());
            if (device.isCuda()) options.addCUDA(device.index());
            // ORT's own session configuration keys pass through as they are (e.g. session.disable_prepacking).
            for (Map.Entry<String, String> e : compile.extra().entrySet()) {
                if (e.getKey().startsWith("session.")) options.addConfigEntry(e.getKey(), e.getValue());
            }
            profileDir = compile.profiling() ? Files.createTempDirectory("attnbench-ort-profile") : null;
            if (profileDir != null) options.enableProfiling(profileDir.resolve("session").toString());
        } catch (OrtException e) {
            options.close();
            throw OrtErrors.userError("rejected the session options", e);
        } catch (IOException e) {
            options.close();
            throw new UncheckedIOException(e);
        }
        recorded.put("providers", device.isCuda() ? "CUDAExecutionProvider(" + device.index() + "),CPUExecutionProvider"
                : "CPUExecutionProvider");
        recorded.put("optimization", optimization);
        recorded.put("cpu_arena", arena ? "on" : "off");
        recorded.put("memory_pattern", device.isCuda() ? "on" : "off");
        recorded.put("weights", weights == Weights.SHARED ? "shared" : "per-session");
        if (weights == Weights.SHARED && !device.isCuda()) {
            recorded.put("conv_layout", convBlock > 0 ? "nchwc" + convBlock : blocked ? "nchw (no NCHWc kernels on this CPU)" : "nchw");
        }
        compile.extra().forEach((key, value) -> {
            if (key.startsWith("session.")) recorded.put(key, value);
        });
        if (compile.dtype() == DType.FLOAT16) {
            recorded.put("float16", "converted graph; normalizations, softmax and timestep sinusoids in float32");
        }
        recorded.put("intra_op_threads", threads(compile.intraOpThreads()));
        recorded.put("inter_op_threads", threads(compile.interOpThreads()));
    }

    /** A setting's value, checked against the values {@link #OPTIONS} lists for it. */
    private static String option(CompileOptions compile, String key, String fallback) {
        String value = compile.extra(key, fallback);
        List<String> allowed = OPTIONS.get(key);
        if (!allowed.contains(value)) {
            throw new UserError("unknown onnxruntime " + key + " '" + value + "': use " + String.join(", ", allowed));
        }
        return value;
    }

    Weights weights() {
        return weights;
    }

    /** Channels per block of the convolution filters a shared session reads blocked; 0: none blocked. */
    int convBlock() {
        return convBlock;
    }

    private static String threads(int n) {
        return n > 0 ? Integer.toString(n) : "default";
    }

    SessionOptions options() {
        return options;
    }

    Path profileDir() {
        return profileDir;
    }

    Map<String, String> recorded() {
        return Collections.unmodifiableMap(recorded);
    }
}
