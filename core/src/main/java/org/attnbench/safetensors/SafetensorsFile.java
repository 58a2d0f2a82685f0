package org.attnbench.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A safetensors file opened read-only and memory-mapped: tensors are views of the mapping,
 * never copied, so files larger than a Java array (an SD UNet is 3.4 GB in fp32) work.
 *
 * <p>The header is validated before any tensor is handed out: length bounds, JSON shape,
 * known dtypes, offsets inside the data section and matching the shape, no overlaps.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Upper bound on the JSON header, as the reference implementation enforces. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    /** Where one tensor lives in the data section. */
    public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {}

    private SafetensorsFile(Path path, FileChannel channel, long dataStart,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new UserError("safetensors file not found: " + path);
        } catch (IOException e) {
            throw new UserError("cannot open safetensors file " + path + ": " + e.getMessage());
        }
        try {
            return parse(path, channel);
        } catch (RuntimeException | IOException e) {
            closeQuietly(channel);
            if (e instanceof UserError u) throw u;
            throw new UserError("corrupt safetensors file " + path + ": " + e.getMessage());
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        String where = "corrupt safetensors file " + path + ": ";
        if (size < 8) throw new UserError(where + "shorter than the 8-byte header length");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
            throw new UserError(where + "header length " + headerLen + " does not fit a file of "
                    + size + " bytes (was it truncated or not a safetensors file?)");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        channel.read(headerBuf, 8);
        String json = new String(headerBuf.array(), StandardCharsets.UTF_8);
        JsonObject header;
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) throw new UserError(where + "header is not a JSON object");
            header = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new UserError(where + "header is not valid JSON");
        }
        long dataStart = 8 + headerLen;
        long dataSize = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (!e.getValue().isJsonObject()) throw new UserError(where + "__metadata__ is not an object");
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            tensors.put(e.getKey(), parseEntry(where, e.getKey(), e.getValue(), dataSize));
        }
        checkNoOverlaps(where, tensors.values());
        return new SafetensorsFile(path, channel, dataStart,
                Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo parseEntry(String where, String name, JsonElement value, long dataSize) {
        String at = where + "tensor '" + name + "': ";
        if (!value.isJsonObject()) throw new UserError(at + "entry is not an object");
        JsonObject o = value.getAsJsonObject();
        if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) {
            throw new UserError(at + "needs dtype, shape and data_offsets");
        }
        String dtypeName = o.get("dtype").getAsString();
        DType dtype = DType.fromSafetensors(dtypeName).orElseThrow(() ->
                new UserError(at + "unsupported dtype " + dtypeName));
        List<JsonElement> dims = o.getAsJsonArray("shape").asList();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
            if (shape[i] < 0) throw new UserError(at + "negative dimension");
        }
        List<JsonElement> offsets = o.getAsJsonArray("data_offsets").asList();
        if (offsets.size() != 2) throw new UserError(at + "data_offsets must be [begin, end]");
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new UserError(at + "data_offsets [" + begin + ", " + end
                    + "] fall outside the data section of " + dataSize + " bytes");
        }
        long expected = HostTensor.numel(shape) * dtype.byteSize();
        if (end - begin != expected) {
            throw new UserError(at + "holds " + (end - begin) + " bytes but its shape needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlaps(String where, Iterable<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new UserError(where + "tensors '" + prev.name() + "' and '" + cur.name() + "' overlap");
            }
        }
    }

    public Path path() { return path; }

    public Set<String> names() { return tensors.keySet(); }

    public Map<String, TensorInfo> infos() { return tensors; }

    public Map<String, String> metadata() { return metadata; }

    public boolean contains(String name) { return tensors.containsKey(name); }

    /** A zero-copy view of one tensor; valid while this file is open. */
    public HostTensor tensor(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new UserError("tensor '" + name + "' is not in " + path + " (it has: "
                    + String.join(", ", tensors.keySet().stream().limit(8).toList())
                    + (tensors.size() > 8 ? ", ..." : "") + ")");
        }
        try {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY,
                    dataStart + info.begin(), info.end() - info.begin());
            return new HostTensor(info.dtype(), info.shape(), map.order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new UserError("cannot read tensor '" + name + "' from " + path + ": " + e.getMessage());
        }
    }

    /** All tensors as zero-copy views, in file order. */
    public Map<String, HostTensor> tensors() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String name : tensors.keySet()) out.put(name, tensor(name));
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // read-only channel: nothing to flush
        }
    }
}
