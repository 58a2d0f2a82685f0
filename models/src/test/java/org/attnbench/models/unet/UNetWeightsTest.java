package org.attnbench.models.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints the writer makes load back exactly; a checkpoint that does not fit is refused by name. */
class UNetWeightsTest {
    static final UNetConfig TINY = UNetConfig.load("tiny");
    static final TokenPatch DENSE = TokenPatch.unpatched(Kernel.MATMUL);

    @TempDir
    Path dir;

    private Path writeTiny(DType dtype) {
        Path file = dir.resolve("unet-" + dtype + ".safetensors");
        SafetensorsWeights.write(file, TINY, new RandomWeights(3), dtype);
        return file;
    }

    @Test
    void theWriterWritesExactlyTheNamesTheBuilderExpects() {
        Map<String, long[]> expected = UNetGraph.expectedWeights(TINY);
        try (SafetensorsWeights w = SafetensorsWeights.open(writeTiny(DType.FLOAT32))) {
            assertEquals(expected.keySet(), w.names());
            expected.forEach((name, shape) -> assertArrayEquals(shape, w.tensor(name).orElseThrow().shape(), name));
            OnnxModel model = UNetGraph.build(TINY, 64, 1, DENSE, w);
            assertEquals(expected.keySet(), new java.util.HashSet<>(model.initializers().keySet().stream()
                    .filter(expected::containsKey).toList()));
        }
    }

    @Test
    void savedWeightsReloadBitForBit() {
        RandomWeights random = new RandomWeights(3);
        try (SafetensorsWeights w = SafetensorsWeights.open(writeTiny(DType.FLOAT32))) {
            UNetGraph.expectedWeights(TINY).forEach((name, shape) ->
                    assertArrayEquals(random.create(name, shape).toByteArray(), w.tensor(name).orElseThrow().toByteArray(), name));
            OnnxModel model = UNetGraph.build(TINY, 64, 1, DENSE, w);
            String name = "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight";
            assertArrayEquals(w.tensor(name).orElseThrow().toByteArray(), model.initializer(name).orElseThrow().toByteArray());
        }
    }

    @Test
    void halfPrecisionAndShardedCheckpointsLoadAsFloat32() throws Exception {
        Path half = writeTiny(DType.FLOAT16);
        Map<String, HostTensor> all = Safetensors.read(half);
        Map<String, HostTensor> first = new LinkedHashMap<>();
        Map<String, HostTensor> second = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        int i = 0;
        for (var e : all.entrySet()) {
            boolean one = i++ % 2 == 0;
            (one ? first : second).put(e.getKey(), e.getValue());
            index.append(i > 1 ? "," : "").append('"').append(e.getKey()).append("\": \"")
                    .append(one ? "a.safetensors" : "b.safetensors").append('"');
        }
        Path shards = Files.createDirectories(dir.resolve("sharded"));
        SafetensorsWeights.write(shards.resolve("a.safetensors"), first);
        SafetensorsWeights.write(shards.resolve("b.safetensors"), second);
        Files.writeString(shards.resolve(SafetensorsWeights.INDEX), index.append("}}").toString());
        try (SafetensorsWeights w = SafetensorsWeights.open(shards)) {
            OnnxModel model = UNetGraph.build(TINY, 64, 1, DENSE, w);
            HostTensor conv = model.initializer("conv_in.weight").orElseThrow();
            assertEquals(DType.FLOAT32, conv.dtype());
            assertArrayEquals(all.get("conv_in.weight").toDType(DType.FLOAT32).toFloats(), conv.toFloats());
        }
    }

    @Test
    void missingTensorsAreListedWithTheirCount() {
        Map<String, HostTensor> all = Safetensors.read(writeTiny(DType.FLOAT32));
        all.remove("conv_in.weight");
        all.remove("mid_block.resnets.1.conv2.bias");
        Path file = dir.resolve("partial.safetensors");
        SafetensorsWeights.write(file, all);
        try (SafetensorsWeights w = SafetensorsWeights.open(file)) {
            UserError e = assertThrows(UserError.class, () -> UNetGraph.build(TINY, 64, 1, DENSE, w));
            assertTrue(e.getMessage().contains("lacks 2 of the model's"), e.getMessage());
            assertTrue(e.getMessage().contains("conv_in.weight, mid_block.resnets.1.conv2.bias"), e.getMessage());
        }
    }

    @Test
    void aWrongShapeNamesTheTensorAndBothShapes() {
        Map<String, HostTensor> all = Safetensors.read(writeTiny(DType.FLOAT32));
        all.put("conv_out.weight", HostTensor.of(new float[4 * 32 * 9], 4, 32, 9));
        Path file = dir.resolve("bad.safetensors");
        SafetensorsWeights.write(file, all);
        try (SafetensorsWeights w = SafetensorsWeights.open(file)) {
            UserError e = assertThrows(UserError.class, () -> UNetGraph.build(TINY, 64, 1, DENSE, w));
            assertTrue(e.getMessage().startsWith("weight 'conv_out.weight' has shape [4, 32, 9], expected [4, 32, 3, 3]"),
                    e.getMessage());
        }
    }

    @Test
    void pickleCheckpointsAreRefused() throws Exception {
        Path bin = Files.writeString(dir.resolve("diffusion_pytorch_model.bin"), "not read");
        UserError e = assertThrows(UserError.class, () -> SafetensorsWeights.open(bin));
        assertTrue(e.getMessage().contains("pickle checkpoint"), e.getMessage());
    }
}
