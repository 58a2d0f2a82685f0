package org.attnbench.graph;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.tensor.HostTensor;

/**
 * An ONNX model and where its weights live. Weights are either inside the proto, in external
 * data files beside the .onnx file it was read from ({@code baseDir}), or held in memory by
 * name ({@code memoryWeights}, for built graphs too large for one protobuf). In the last case
 * the proto lists those initializers as external, and {@link #write} writes them out.
 */
public final class OnnxModel {
    private final ModelProto proto;
    private final Path baseDir;
    private final Map<String, HostTensor> memoryWeights;

    public OnnxModel(ModelProto proto, Path baseDir, Map<String, HostTensor> memoryWeights) {
        this.proto = proto;
        this.baseDir = baseDir == null ? Path.of(".") : baseDir;
        this.memoryWeights = Map.copyOf(memoryWeights);
    }

    public static OnnxModel of(ModelProto proto) {
        return new OnnxModel(proto, null, Map.of());
    }

    public static OnnxModel read(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return new OnnxModel(OnnxFiles.read(path), parent, Map.of());
    }

    public ModelProto proto() { return proto; }

    public Path baseDir() { return baseDir; }

    /** The weights held in memory by name (listed as external in the proto), empty when there are none. */
    public Map<String, HostTensor> memoryWeights() { return memoryWeights; }

    /** True when some weights are not inside the proto (in files or in memory). */
    public boolean hasExternalWeights() {
        return !memoryWeights.isEmpty() || proto.getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
    }

    public Optional<HostTensor> initializer(String name) {
        HostTensor inMemory = memoryWeights.get(name);
        if (inMemory != null) return Optional.of(inMemory);
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (t.getName().equals(name)) return Optional.of(TensorProtos.toHost(t, baseDir));
        }
        return Optional.empty();
    }

    /** All initializers by name, in graph order; external ones are memory-mapped, not copied. */
    public Map<String, HostTensor> initializers() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            HostTensor inMemory = memoryWeights.get(t.getName());
            out.put(t.getName(), inMemory != null ? inMemory : TensorProtos.toHost(t, baseDir));
        }
        return out;
    }

    /** Writes a standalone .onnx file; large or in-memory weights go to {@code NAME.onnx.data} beside it. */
    public void write(Path path) {
        write(path, false);
    }

    public void write(Path path, boolean forceExternal) {
        long memoryBytes = memoryWeights.values().stream().mapToLong(HostTensor::byteSize).sum();
        if (memoryWeights.isEmpty() || (!forceExternal && memoryBytes <= OnnxFiles.EMBED_LIMIT_BYTES)) {
            OnnxFiles.write(memoryWeights.isEmpty() ? proto : embedded(), path, forceExternal);
            return;
        }
        OnnxFiles.writeWithWeights(proto, initializers(), path);
    }

    /** The proto with the in-memory weights copied inside it. */
    private ModelProto embedded() {
        var graph = proto.getGraph().toBuilder().clearInitializer();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            HostTensor inMemory = memoryWeights.get(t.getName());
            graph.addInitializer(inMemory == null ? t : TensorProtos.toProto(t.getName(), inMemory));
        }
        return proto.toBuilder().setGraph(graph).build();
    }
}
