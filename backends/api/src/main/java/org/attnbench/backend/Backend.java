package org.attnbench.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.graph.OnnxModel;

/**
 * A runtime that executes ONNX graphs. Implementations are found with
 * {@link java.util.ServiceLoader}: a new runtime is one module and one services file
 * (META-INF/services/org.attnbench.backend.Backend).
 */
public interface Backend {
    /** Short name used on the command line and in configs, e.g. "djl" or "onnxruntime". */
    String name();

    /** Every device this backend knows of, each available or with the reason it is not. */
    List<DeviceStatus> devices();

    /** Library versions, e.g. {"onnxruntime": "1.23.2"}. */
    Map<String, String> versions();

    /**
     * Why this backend cannot run the model (an unsupported op, attribute value or dtype),
     * or empty when it can. Checked without running anything.
     */
    Optional<String> unsupported(OnnxModel model);

    /** Compiles the model for a device. Fails with a {@link org.attnbench.core.UserError} for bad input. */
    Executable compile(OnnxModel model, Device device, CompileOptions options);

    /**
     * Compiles graphs that run one at a time, such as the graphs of a timestep schedule: one
     * executable per model, in order, each closed by the caller. By default each is compiled
     * apart; a runtime whose executables each hold memory of their own (ONNX Runtime's sessions:
     * derived weight layouts, an activation arena) may hold them together, so that memory exists once.
     */
    default List<Executable> compileAll(List<OnnxModel> models, Device device, CompileOptions options) {
        List<Executable> out = new ArrayList<>();
        try {
            for (OnnxModel m : models) out.add(compile(m, device, options));
        } catch (RuntimeException e) {
            out.forEach(Executable::close);
            throw e;
        }
        return out;
    }
}
