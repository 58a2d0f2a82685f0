package org.attnbench.text.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an encoder's weights are found in a folder, transformers' naming conventions, and the check before any graph is built. */
class EncoderWeightsTest {
    private static final TextEncoderConfig T5 = TextEncoderConfig.parse("tiny", "{\"architectures\": [\"T5EncoderModel\"], "
            + "\"feed_forward_proj\": \"gated-gelu\", \"d_model\": 4, \"d_kv\": 2, \"num_heads\": 2, \"d_ff\": 6, "
            + "\"num_layers\": 1, \"vocab_size\": 5, \"relative_attention_num_buckets\": 4, "
            + "\"relative_attention_max_distance\": 4}");

    @TempDir
    Path tmp;

    private static Map<String, HostTensor> complete(DType dtype) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        T5.expectedWeights().forEach((name, shape) -> out.put(name,
                HostTensor.of(new float[(int) HostTensor.numel(shape)], shape).toDType(dtype)));
        return out;
    }

    private Path write(String file, Map<String, HostTensor> tensors) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(file.replace('.', '-')));
        Safetensors.write(dir.resolve(file), tensors);
        return dir;
    }

    @Test
    void aFolderHoldingOnlyTheFloat16VariantLoadsIt() throws IOException {
        Path dir = write("model.fp16.safetensors", complete(DType.FLOAT16));
        try (WeightSource w = EncoderWeights.open(dir)) {
            assertNull(EncoderWeights.check(T5, w));
            assertEquals(DType.FLOAT16, w.tensor("shared.weight").orElseThrow().dtype());
        }
    }

    @Test
    void aFolderWithoutWeightsOrAMissingPathIsRefused() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        UserError e = assertThrows(UserError.class, () -> EncoderWeights.open(empty));
        assertTrue(e.getMessage().contains("has none of model.safetensors, model.safetensors.index.json"), e.getMessage());
        e = assertThrows(UserError.class, () -> EncoderWeights.open(tmp.resolve("model.safetensors")));
        assertTrue(e.getMessage().contains("do not exist"), e.getMessage());
    }

    @Test
    void t5sEmbeddingIsReadUnderEitherNameAndTheTiedCopyIsNotUnused() throws IOException {
        Map<String, HostTensor> only = complete(DType.FLOAT32);
        only.put(EncoderWeights.T5_ENCODER_EMBED, only.remove(EncoderWeights.T5_SHARED));
        try (WeightSource w = EncoderWeights.open(write("model.safetensors", only))) {
            assertTrue(w.names().contains(EncoderWeights.T5_SHARED));
            assertFalse(w.names().contains(EncoderWeights.T5_ENCODER_EMBED));
            assertNull(EncoderWeights.check(T5, w));
        }
        Map<String, HostTensor> both = complete(DType.FLOAT32);
        both.put(EncoderWeights.T5_ENCODER_EMBED, both.get(EncoderWeights.T5_SHARED));
        Path dir = Files.createDirectories(tmp.resolve("both"));
        Safetensors.write(dir.resolve("model.safetensors"), both);
        try (WeightSource w = EncoderWeights.open(dir)) {
            assertNull(EncoderWeights.check(T5, w), "no warning for the tied copy");
        }
    }

    @Test
    void theInt64PositionIdsBufferIsNotAWeight() throws IOException {
        Map<String, HostTensor> tensors = complete(DType.FLOAT32);
        tensors.put("text_model.embeddings.position_ids", HostTensor.of(new long[] {0, 1, 2}, 1, 3));
        try (WeightSource w = EncoderWeights.open(write("model.safetensors", tensors))) {
            assertFalse(w.names().contains("text_model.embeddings.position_ids"));
            assertNull(EncoderWeights.check(T5, w));
        }
    }

    @Test
    void missingMisshapedIntegerAndUnusedTensorsAreNamed() throws IOException {
        Map<String, HostTensor> missing = complete(DType.FLOAT32);
        missing.remove("encoder.block.0.layer.1.DenseReluDense.wo.weight");
        try (WeightSource w = EncoderWeights.open(write("model.safetensors", missing))) {
            UserError e = assertThrows(UserError.class, () -> EncoderWeights.check(T5, w));
            assertTrue(e.getMessage().contains("lacks 1 of the 12 weights of T5EncoderModel tiny, e.g. "
                    + "encoder.block.0.layer.1.DenseReluDense.wo.weight"), e.getMessage());
        }
        Map<String, HostTensor> misshaped = complete(DType.FLOAT32);
        misshaped.put("encoder.final_layer_norm.weight", HostTensor.of(new float[5], 5));
        try (WeightSource w = EncoderWeights.open(write("a.safetensors", misshaped).resolve("a.safetensors"))) {
            UserError e = assertThrows(UserError.class, () -> EncoderWeights.check(T5, w));
            assertTrue(e.getMessage().startsWith("weight 'encoder.final_layer_norm.weight' has shape [5], expected [4]"),
                    e.getMessage());
        }
        Map<String, HostTensor> integer = complete(DType.FLOAT32);
        integer.put("encoder.final_layer_norm.weight", HostTensor.of(new long[4], 4));
        try (WeightSource w = EncoderWeights.open(write("b.safetensors", integer).resolve("b.safetensors"))) {
            UserError e = assertThrows(UserError.class, () -> EncoderWeights.check(T5, w));
            assertTrue(e.getMessage().contains("is INT64, expected a float type"), e.getMessage());
        }
        Map<String, HostTensor> extra = complete(DType.FLOAT32);
        extra.put("decoder.final_layer_norm.weight", HostTensor.of(new float[4], 4));
        try (WeightSource w = EncoderWeights.open(write("c.safetensors", extra).resolve("c.safetensors"))) {
            String warning = EncoderWeights.check(T5, w);
            assertTrue(warning.startsWith("warning: ") && warning.contains("1 tensors T5EncoderModel does not use, e.g. "
                    + "decoder.final_layer_norm.weight"), warning);
        }
    }
}
