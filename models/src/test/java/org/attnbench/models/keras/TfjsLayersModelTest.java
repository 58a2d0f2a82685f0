package org.attnbench.models.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.Half;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsLayersModelTest {
    private static final String TOPOLOGY = """
            {"model_config": {"class_name": "Model", "config": {"name": "m",
              "layers": [
                {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 4, 2]}, "inbound_nodes": []},
                {"name": "up", "class_name": "UpSampling2D", "config": {}, "inbound_nodes": [[["input_1", 0, 0, {}]]]}
              ],
              "input_layers": [["input_1", 0, 0]], "output_layers": [["up", 0, 0]]}}}""";

    /** model.json with one group of two shards; the weights are given as manifest entries. */
    private static Path write(Path dir, String weights, byte[] shard1, byte[] shard2) throws IOException {
        Files.write(dir.resolve("s1.bin"), shard1);
        Files.write(dir.resolve("s2.bin"), shard2);
        Path json = dir.resolve("model.json");
        Files.writeString(json, "{\"convertedBy\": \"test from nsfwjs 9.9.9\", \"modelTopology\": " + TOPOLOGY
                + ", \"weightsManifest\": [{\"paths\": [\"s1.bin\", \"s2.bin\"], \"weights\": [" + weights + "]}]}");
        return json;
    }

    @Test
    void dequantizesAcrossShardsInManifestOrder(@TempDir Path dir) throws IOException {
        ByteBuffer halfAndFloat = ByteBuffer.allocate(2 * 2 + 4).order(ByteOrder.LITTLE_ENDIAN);
        halfAndFloat.putShort(Half.fromFloat(1.5f)).putShort(Half.fromFloat(-2f)).putFloat(0.25f);
        ByteBuffer u16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0).putShort((short) 65535);
        byte[] first = {0, 1, (byte) 255, 4, 0, 0};
        System.arraycopy(u16.array(), 0, first, 4, 2);
        byte[] second = new byte[2 + 8];
        System.arraycopy(u16.array(), 2, second, 0, 2);
        System.arraycopy(halfAndFloat.array(), 0, second, 2, 8);
        Path json = write(dir, """
                {"name": "a/kernel", "shape": [2, 2], "dtype": "float32", "quantization": {"min": -1.0, "scale": 0.5, "dtype": "uint8"}},
                {"name": "b/bias", "shape": [2], "dtype": "float32", "quantization": {"min": 2.0, "scale": 0.001, "dtype": "uint16"}},
                {"name": "c/gamma", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}},
                {"name": "d/beta", "shape": [1], "dtype": "float32"}""", first, second);
        TfjsLayersModel model = TfjsLayersModel.read(json);
        // value = min + scale * q, the uint16 entry spanning both shards
        assertArrayEquals(new float[] {-1f, -0.5f, 126.5f, 1f}, model.weight("a", "kernel").toFloats());
        assertArrayEquals(new long[] {2, 2}, model.weight("a", "kernel").shape());
        assertArrayEquals(new float[] {2f, (float) (2 + 0.001 * 65535)}, model.weight("b", "bias").toFloats());
        assertArrayEquals(new float[] {1.5f, -2f}, model.weight("c", "gamma").toFloats());
        assertArrayEquals(new float[] {0.25f}, model.weight("d", "beta").toFloats());
        assertEquals("test from nsfwjs 9.9.9", model.convertedBy());
        assertEquals(List.of("input_1"), model.inputs());
        assertEquals(List.of("up"), model.outputs());
        assertEquals(1, model.consumers("input_1"));
    }

    @Test
    void shardsThatDoNotMatchTheManifestAreUserErrors(@TempDir Path dir) throws IOException {
        String spec = "{\"name\": \"a/kernel\", \"shape\": [4], \"dtype\": \"float32\", "
                + "\"quantization\": {\"min\": 0, \"scale\": 1, \"dtype\": \"uint8\"}}";
        UserError shortData = assertThrows(UserError.class, () -> TfjsLayersModel.read(write(dir, spec, new byte[2], new byte[1])));
        assertTrue(shortData.getMessage().contains("end inside weight 'a/kernel'"), shortData.getMessage());
        UserError extra = assertThrows(UserError.class, () -> TfjsLayersModel.read(write(dir, spec, new byte[4], new byte[1])));
        assertTrue(extra.getMessage().contains("1 bytes more than the manifest lists"), extra.getMessage());
    }

    @Test
    void unsupportedLayersAndQuantizationAreRefusedByName(@TempDir Path dir) throws IOException {
        String int8 = "{\"name\": \"a/kernel\", \"shape\": [1], \"dtype\": \"float32\", \"quantization\": {\"dtype\": \"int8\"}}";
        UserError q = assertThrows(UserError.class, () -> TfjsLayersModel.read(write(dir, int8, new byte[1], new byte[0])));
        assertTrue(q.getMessage().contains("quantized as int8"), q.getMessage());

        TfjsLayersModel model = TfjsLayersModel.read(write(dir, "", new byte[0], new byte[0]));
        GraphBuilder g = new GraphBuilder("t");
        KerasGraph keras = new KerasGraph(model, g, Map.of("input_1", g.input("x", DType.FLOAT32, 1, 2, 4, 4)));
        UserError layer = assertThrows(UserError.class, () -> keras.output("up"));
        assertEquals("layer 'up' is a UpSampling2D, which attnbench cannot convert", layer.getMessage());
        UserError missing = assertThrows(UserError.class, () -> keras.output("nope"));
        assertEquals("the model has no layer 'nope'", missing.getMessage());
    }

    @Test
    void missingModelJsonIsAUserError(@TempDir Path dir) {
        UserError e = assertThrows(UserError.class, () -> TfjsLayersModel.read(dir.resolve("model.json")));
        assertTrue(e.getMessage().startsWith("no TF.js model at"), e.getMessage());
    }
}
