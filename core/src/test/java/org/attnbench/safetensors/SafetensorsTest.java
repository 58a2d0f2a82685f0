package org.attnbench.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void writeThenReadIsBitExact() {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("w32", HostTensor.of(new float[] {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f, -7f}, 2, 3));
        tensors.put("w16", HostTensor.of(new float[] {0.1f, 65504f, -2.5f}, 3).toDType(DType.FLOAT16));
        tensors.put("bf16", HostTensor.of(new float[] {1e-3f, 7f}, 2).toDType(DType.BFLOAT16));
        tensors.put("ids", HostTensor.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3));
        tensors.put("scalar", HostTensor.of(new double[] {Math.PI}));
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt"));

        Map<String, HostTensor> read = Safetensors.read(file);
        assertEquals(tensors.keySet(), read.keySet());
        tensors.forEach((name, t) -> {
            assertEquals(t.dtype(), read.get(name).dtype(), name);
            assertArrayEquals(t.shape(), read.get(name).shape(), name);
            assertArrayEquals(t.toByteArray(), read.get(name).toByteArray(), name);
        });
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
        }
    }

    /** A safetensors file with the given header and {@code dataBytes} zero bytes of data. */
    private Path file(String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static void assertRefused(Path p, String fragment) {
        UserError e = assertThrows(UserError.class, () -> SafetensorsFile.open(p).close());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void refusesAHeaderLengthPastTheEnd() throws IOException {
        Path p = dir.resolve("long.safetensors");
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000).array());
        assertRefused(p, "header length 1000000 does not fit a file of 16 bytes");
    }

    @Test
    void refusesOffsetsOutsideTheFile() throws IOException {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
                "data_offsets [0, 16] fall outside the data section of 8 bytes");
    }

    @Test
    void refusesOverlappingTensors() throws IOException {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "tensors 'a' and 'b' overlap");
    }

    @Test
    void refusesAnUnknownDtype() throws IOException {
        assertRefused(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
                "tensor 'a': unsupported dtype F8_E4M3");
    }

    @Test
    void refusesAByteCountThatDisagreesWithTheShape() throws IOException {
        assertRefused(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a': holds 8 bytes but its shape needs 6");
    }

    @Test
    void refusesAHeaderThatIsNotJson() throws IOException {
        assertRefused(file("{not json", 0), "header is not valid JSON");
    }
}
