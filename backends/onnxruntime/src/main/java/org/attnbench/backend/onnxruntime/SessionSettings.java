package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
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
            "arena", List.of("off", "on"));

    private final Map<String, String> recorded = new LinkedHashMap<>();
    private final Weights weights;
    private final SessionOptions options;
    /** Where ORT writes its profile, when the session profiles; null otherwise. */
    private final Path profileDir;

    /** The caller owns the returned session options and closes them once the session exists. */
    SessionSettings(Device device, CompileOptions compile) {
        String optimization = compile.extra("optimization", "all");
        OptLevel level = OPT_LEVELS.get(optimization);
        if (level == null) {
            throw new UserError("unknown onnxruntime optimization '" + optimization + "': use disable, basic, extended or all");
        }
        weights = weights(device, compile);
        boolean arena = arena(compile);
        options = new SessionOptions();
        try {
            // Errors reach the user as exceptions; native log lines would only duplicate them on stderr.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            options.setOptimizationLevel(level);
            options.setCPUArenaAllocator(arena);
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
        recorded.put("weights", weights == Weights.SHARED ? "shared" : "per-session");
        compile.extra().forEach((key, value) -> {
            if (key.startsWith("session.")) recorded.put(key, value);
        });
        if (compile.dtype() == DType.FLOAT16) {
            recorded.put("float16", "converted graph; normalizations, softmax and timestep sinusoids in float32");
        }
        recorded.put("intra_op_threads", threads(compile.intraOpThreads()));
        recorded.put("inter_op_threads", threads(compile.interOpThreads()));
    }

    /**
     * Shared by default on the CPU. A CUDA session would copy input weights to the device on every
     * run, so there each session holds its own device copy unless asked otherwise.
     */
    private static Weights weights(Device device, CompileOptions compile) {
        String value = compile.extra("weights", device.isCuda() ? "per-session" : "shared");
        return switch (value) {
            case "shared" -> Weights.SHARED;
            case "per-session" -> Weights.PER_SESSION;
            default -> throw new UserError("unknown onnxruntime weights '" + value + "': use shared (held once, read in"
                    + " place) or per-session (copied, folded and packed per graph)");
        };
    }

    /**
     * ORT's CPU arena keeps each session's peak activations for that session alone, so the graphs
     * of a timestep schedule would hold their peaks side by side. Off by default: activations go
     * back to the allocator after each run (tcmalloc, which the launcher preloads, keeps them for
     * the next), and the graphs of a schedule reuse one another's memory.
     */
    private static boolean arena(CompileOptions compile) {
        String value = compile.extra("arena", "off");
        if (!value.equals("on") && !value.equals("off")) {
            throw new UserError("unknown onnxruntime arena '" + value + "': use on (a CPU arena per session) or off");
        }
        return value.equals("on");
    }

    Weights weights() {
        return weights;
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
