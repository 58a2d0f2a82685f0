package org.attnbench.backend;

import java.util.Map;
import org.attnbench.tensor.DType;

/**
 * How to compile a graph. Backends record the values they actually used in
 * {@link Executable#settings()}, so a result row can say how it was produced.
 *
 * @param dtype floating-point type of the computation (fp32; fp16 or bf16 where the device supports them)
 * @param intraOpThreads threads inside one operator; 0 means the runtime's default
 * @param interOpThreads threads across independent operators; 0 means the runtime's default
 * @param extra backend-specific settings by name (for example ONNX Runtime's "optimization")
 * @param profiling whether {@link Executable#profile} will be called: ONNX Runtime must switch its
 *     profiler on when the session is made, and keeps it on until that call
 * @param soleGraph whether the graph is the only one its process runs while it is alive: a runtime
 *     may then keep its activations' memory from one run to the next (ONNX Runtime's arena), which
 *     for several graphs alive at once would hold one peak per graph side by side
 */
public record CompileOptions(DType dtype, int intraOpThreads, int interOpThreads, Map<String, String> extra,
        boolean profiling, boolean soleGraph) {
    public static final CompileOptions DEFAULT = new CompileOptions(DType.FLOAT32, 0, 0, Map.of());

    public CompileOptions(DType dtype, int intraOpThreads, int interOpThreads, Map<String, String> extra) {
        this(dtype, intraOpThreads, interOpThreads, extra, false, false);
    }

    public CompileOptions {
        extra = Map.copyOf(extra);
    }

    public CompileOptions withDType(DType d) {
        return new CompileOptions(d, intraOpThreads, interOpThreads, extra, profiling, soleGraph);
    }

    public CompileOptions withThreads(int intra, int inter) {
        return new CompileOptions(dtype, intra, inter, extra, profiling, soleGraph);
    }

    public CompileOptions withProfiling() {
        return new CompileOptions(dtype, intraOpThreads, interOpThreads, extra, true, soleGraph);
    }

    /** The same options for a graph that is, or is not, the only one its process runs while it is alive. */
    public CompileOptions withSoleGraph(boolean sole) {
        return new CompileOptions(dtype, intraOpThreads, interOpThreads, extra, profiling, sole);
    }

    public String extra(String key, String fallback) {
        return extra.getOrDefault(key, fallback);
    }
}
