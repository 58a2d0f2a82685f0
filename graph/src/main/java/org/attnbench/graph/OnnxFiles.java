package org.attnbench.graph;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.core.OutputFiles;
import org.attnbench.core.UserError;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.tensor.HostTensor;

/** Reading and writing .onnx files, with external data for weights that do not fit one protobuf. */
public final class OnnxFiles {
    /** Protobuf messages cannot exceed 2 GiB; stay well below it. */
    public static final long EMBED_LIMIT_BYTES = 1L << 30;
    /**
     * Initializers smaller than this stay inside the proto even when the weights go external, as
     * onnx's convert_model_to_external_data does: runtimes read shape operands (Reshape's shape,
     * Unsqueeze's axes) while loading, before any external data.
     */
    static final long INLINE_BELOW_BYTES = 1024;

    private OnnxFiles() {}

    public static ModelProto read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            ModelProto model = ModelProto.parseFrom(coded);
            if (!model.hasGraph() || model.getIrVersion() == 0) {
                throw new UserError("not a valid ONNX model: " + path + " (no graph or IR version; is the file truncated?)");
            }
            return model;
        } catch (NoSuchFileException e) {
            throw new UserError("ONNX file not found: " + path);
        } catch (InvalidProtocolBufferException e) {
            throw new UserError("not a valid ONNX model: " + path + " (" + firstLine(e.getMessage()) + "; is the file truncated?)");
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Reads a serialized TensorProto (the .pb files of the ONNX test data). */
    public static TensorProto readTensor(Path path) {
        try {
            return TensorProto.parseFrom(Files.readAllBytes(path));
        } catch (InvalidProtocolBufferException e) {
            throw new UserError("not a valid ONNX tensor file: " + path);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * Writes the model. When its initializers add up to more than {@link #EMBED_LIMIT_BYTES}
     * the weights go into {@code NAME.onnx.data} beside it; with {@code forceExternal}, every initializer does.
     */
    public static void write(ModelProto model, Path path, boolean forceExternal) {
        long weightBytes = model.getGraph().getInitializerList().stream().mapToLong(t -> t.getRawData().size()).sum();
        requireOutputs(path);
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            ModelProto toWrite = model;
            if (forceExternal || weightBytes > EMBED_LIMIT_BYTES) {
                toWrite = externalize(model, initializers(model, parent), parent, path.getFileName() + ".data",
                        forceExternal ? 0 : INLINE_BELOW_BYTES);
            }
            writeProto(toWrite, parent, path);
        } catch (IOException e) {
            throw new UserError("cannot write " + path + ": " + e.getMessage());
        }
    }

    /** Writes the model with the given weights as external data in {@code NAME.onnx.data}. */
    static void writeWithWeights(ModelProto model, Map<String, HostTensor> weights, Path path) {
        requireOutputs(path);
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            ModelProto external = externalize(model, weights, parent, path.getFileName() + ".data", INLINE_BELOW_BYTES);
            writeProto(external, parent, path);
        } catch (IOException e) {
            throw new UserError("cannot write " + path + ": " + e.getMessage());
        }
    }

    /** The model file and its data file beside it may only replace regular files. */
    private static void requireOutputs(Path path) {
        OutputFiles.requireFile(path, "output");
        OutputFiles.requireFile(path.resolveSibling(path.getFileName() + ".data"), "weights file");
    }

    /** Writes the proto beside {@code path} and renames it into place; no temporary file is left behind. */
    private static void writeProto(ModelProto model, Path parent, Path path) throws IOException {
        Path tmp = Files.createTempFile(parent, ".onnx", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                model.writeTo(out);
            }
            OutputFiles.replace(tmp, path);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves every initializer of at least {@code inlineBelow} bytes into the data file. */
    private static ModelProto externalize(ModelProto model, Map<String, HostTensor> weights, Path dir,
                                          String dataName, long inlineBelow) throws IOException {
        GraphProto.Builder graph = model.getGraph().toBuilder().clearInitializer();
        Path data = dir.resolve(dataName);
        try (FileChannel out = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long offset = 0;
            for (TensorProto t : model.getGraph().getInitializerList()) {
                HostTensor host = weights.get(t.getName());
                if (host.byteSize() < inlineBelow) {
                    graph.addInitializer(TensorProtos.toProto(t.getName(), host));
                    continue;
                }
                // 64-byte alignment lets runtimes map the data directly.
                long aligned = (offset + 63) / 64 * 64;
                var buf = host.data();
                long pos = aligned;
                while (buf.hasRemaining()) pos += out.write(buf, pos);
                graph.addInitializer(TensorProtos.external(t.getName(), host, dataName, aligned));
                offset = pos;
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    /** Initializers of a model as host tensors, resolving external data against the model's folder. */
    public static Map<String, HostTensor> initializers(ModelProto model, Path baseDir) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) out.put(t.getName(), TensorProtos.toHost(t, baseDir));
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) return "parse error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
