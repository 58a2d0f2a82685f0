package org.attnbench.models.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.tensor.Half;
import org.attnbench.tensor.HostTensor;

/**
 * The weights of a TF.js model from its weights manifest and binary shards, as float32.
 *
 * <p>Each manifest group lists shard files whose concatenation holds the group's tensors back to
 * back, in manifest order. A tensor is stored as float32, or quantized: {@code uint8} and
 * {@code uint16} entries carry an affine map and decode as {@code min + scale * q} (computed in
 * double, then rounded to float32, which is what TF.js's own decoder gives); {@code float16}
 * entries are IEEE halves.
 */
final class TfjsWeights {
    private TfjsWeights() {}

    static Map<String, HostTensor> read(JsonArray manifest, Path dir) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (JsonElement groupElement : manifest) {
            JsonObject group = groupElement.getAsJsonObject();
            ByteBuffer bytes = concat(group.getAsJsonArray("paths"), dir);
            for (JsonElement w : group.getAsJsonArray("weights")) {
                JsonObject spec = w.getAsJsonObject();
                String name = spec.get("name").getAsString();
                out.put(name, decode(name, spec, bytes));
            }
            if (bytes.hasRemaining()) {
                throw new UserError(dir + ": weight shards hold " + bytes.remaining() + " bytes more than the manifest lists");
            }
        }
        return out;
    }

    private static ByteBuffer concat(JsonArray paths, Path dir) {
        try {
            long total = 0;
            for (JsonElement p : paths) total += Files.size(dir.resolve(p.getAsString()));
            ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(total)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonElement p : paths) all.put(Files.readAllBytes(dir.resolve(p.getAsString())));
            return all.flip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the weight shards in " + dir, e);
        }
    }

    private static HostTensor decode(String name, JsonObject spec, ByteBuffer bytes) {
        long[] shape = shape(spec.getAsJsonArray("shape"));
        int n = Math.toIntExact(HostTensor.numel(shape));
        String dtype = spec.get("dtype").getAsString();
        if (!dtype.equals("float32")) throw new UserError("weight '" + name + "' is " + dtype + "; only float32 weights are read");
        JsonObject q = spec.has("quantization") ? spec.getAsJsonObject("quantization") : null;
        String stored = q == null ? "float32" : q.get("dtype").getAsString();
        int width = switch (stored) {
            case "float32" -> 4;
            case "uint16", "float16" -> 2;
            case "uint8" -> 1;
            default -> throw new UserError("weight '" + name + "' is quantized as " + stored + ", which is not supported");
        };
        if (bytes.remaining() < (long) n * width) throw new UserError("weight shards end inside weight '" + name + "'");
        float[] values = new float[n];
        double min = q != null && q.has("min") ? q.get("min").getAsDouble() : 0;
        double scale = q != null && q.has("scale") ? q.get("scale").getAsDouble() : 1;
        for (int i = 0; i < n; i++) {
            values[i] = switch (stored) {
                case "float32" -> bytes.getFloat();
                case "float16" -> Half.toFloat(bytes.getShort());
                case "uint16" -> (float) (min + scale * (bytes.getShort() & 0xffff));
                default -> (float) (min + scale * (bytes.get() & 0xff));
            };
        }
        return HostTensor.of(values, shape);
    }

    private static long[] shape(JsonArray dims) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) s[i] = dims.get(i).getAsLong();
        return s;
    }
}
