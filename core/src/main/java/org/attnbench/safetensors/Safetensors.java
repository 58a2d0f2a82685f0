package org.attnbench.safetensors;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.OutputFiles;
import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;

/** Reading and writing whole safetensors files. */
public final class Safetensors {
    private Safetensors() {}

    /** Reads every tensor into heap-independent copies (for small files such as inputs). */
    public static Map<String, HostTensor> read(Path path) {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            Map<String, HostTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, HostTensor> e : file.tensors().entrySet()) {
                HostTensor view = e.getValue();
                HostTensor copy = HostTensor.allocate(view.dtype(), view.shape());
                copy.mutableData().put(view.data());
                out.put(e.getKey(), copy);
            }
            return out;
        }
    }

    public static void write(Path path, Map<String, HostTensor> tensors) {
        write(path, tensors, Map.of());
    }

    /**
     * Writes tensors in the given order, with the header padded to 8 bytes so data is aligned.
     * The file appears atomically: it is written beside the target and moved into place.
     */
    public static void write(Path path, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", metadata);
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.dtype().safetensorsName());
            entry.put("shape", t.shape());
            entry.put("data_offsets", List.of(offset, offset + t.byteSize()));
            header.put(e.getKey(), entry);
            offset += t.byteSize();
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        Path parent = path.toAbsolutePath().getParent();
        OutputFiles.requireFile(path, "output");
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".safetensors", ".tmp");
            try {
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    writeFully(out, head);
                    for (HostTensor t : tensors.values()) writeFully(out, t.data());
                }
                OutputFiles.replace(tmp, path);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError("cannot write " + path + ": " + e.getMessage());
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }
}
