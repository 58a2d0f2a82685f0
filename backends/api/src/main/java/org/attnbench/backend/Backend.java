package org.attnbench.backend;

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
     * The backend's own compile settings ({@link CompileOptions#extra}) a config may give, each
     * with the values it takes.
     */
    default Map<String, List<String>> options() {
        return Map.of();
    }

    /**
     * Why this backend cannot run the model (an unsupported op, attribute value or dtype),
     * or empty when it can. Checked without running anything.
     */
    Optional<String> unsupported(OnnxModel model);

    /** Compiles the model for a device. Fails with a {@link org.attnbench.core.UserError} for bad input. */
    Executable compile(OnnxModel model, Device device, CompileOptions options);
}
