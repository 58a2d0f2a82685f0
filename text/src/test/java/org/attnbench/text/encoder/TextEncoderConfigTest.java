package org.attnbench.text.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Text encoder configs as the hub's folders carry them (SD 1.5's CLIP-L, SDXL's bigG with projection,
 * T5 v1.1 XXL, and a config that dumps every PretrainedConfig default) are read with their values,
 * counted to the parameter numbers transformers reports, and anything not implemented is refused
 * by name.
 */
class TextEncoderConfigTest {
    private static String resource(String name) {
        try (InputStream in = TextEncoderConfigTest.class.getResourceAsStream("/configs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long parameters(TextEncoderConfig c) {
        return c.expectedWeights().values().stream().mapToLong(HostTensor::numel).sum();
    }

    @Test
    void sd15sClipReadsAsCLIPTextModelWithTheLegacyPoolingRule() {
        ClipTextConfig c = (ClipTextConfig) TextEncoderConfig.parse("sd15", resource("sd15-text_encoder.json"));
        assertEquals("CLIPTextModel", c.modelClass());
        assertEquals(List.of("last_hidden_state", "penultimate_hidden_state", "pooler_output"), c.outputs());
        assertEquals(768, c.hiddenSize());
        assertEquals(12, c.heads());
        assertEquals(64, c.headDim());
        assertEquals(ClipTextConfig.Activation.QUICK_GELU, c.activation());
        assertTrue(c.poolsAtLargestId());
        assertEquals(77, c.maxLength());
        assertEquals(196, c.expectedWeights().size());
        assertEquals(123_060_480L, parameters(c));
    }

    @Test
    void sdxlsSecondEncoderReadsWithProjection() {
        ClipTextConfig c = (ClipTextConfig) TextEncoderConfig.parse("sdxl", resource("sdxl-text_encoder_2.json"));
        assertEquals("CLIPTextModelWithProjection", c.modelClass());
        assertEquals(ClipTextConfig.Activation.GELU, c.activation());
        assertEquals(32, c.layers());
        assertEquals(1280, c.projectionDim());
        assertEquals(List.of(1280L, 1280L), List.of(c.expectedWeights().get("text_projection.weight")[0],
                c.expectedWeights().get("text_projection.weight")[1]));
        assertEquals(694_659_840L, parameters(c));
    }

    @Test
    void t5XxlReadsAsT5EncoderModel() {
        T5EncoderConfig c = (T5EncoderConfig) TextEncoderConfig.parse("t5", resource("t5-v1_1-xxl-encoder.json"));
        assertEquals("T5EncoderModel", c.modelClass());
        assertEquals(List.of("last_hidden_state"), c.outputs());
        assertEquals(4096, c.dModel());
        assertEquals(4096, c.inner());
        assertEquals(10240, c.dFf());
        assertEquals(24, c.layers());
        assertEquals(32, c.buckets());
        assertEquals(128, c.maxDistance());
        assertEquals(1e-6, c.layerNormEps());
        assertEquals(Integer.MAX_VALUE, c.maxLength());
        assertEquals(24 * 9 + 3, c.expectedWeights().size());
        assertEquals(4_762_310_656L, parameters(c));
    }

    @Test
    void aConfigDumpingEveryPretrainedConfigDefaultReads() {
        ClipTextConfig c = (ClipTextConfig) TextEncoderConfig.parse("dump", resource("clip-text-full-dump.json"));
        assertEquals("CLIPTextModel", c.modelClass());
        assertEquals(49407, c.eosTokenId());
        assertFalse(c.poolsAtLargestId());
    }

    @Test
    void absentKeysTakeTransformersDefaults() {
        ClipTextConfig clip = (ClipTextConfig) TextEncoderConfig.parse("bare", "{\"model_type\": \"clip_text_model\"}");
        assertEquals(List.of(512, 8, 12, 2048, 49407, 77), List.of(clip.hiddenSize(), clip.heads(), clip.layers(),
                clip.intermediateSize(), clip.eosTokenId(), clip.maxPositions()));
        assertEquals(ClipTextConfig.Activation.QUICK_GELU, clip.activation());
        T5EncoderConfig t5 = (T5EncoderConfig) TextEncoderConfig.parse("bare",
                "{\"model_type\": \"t5\", \"feed_forward_proj\": \"gated-gelu\"}");
        assertEquals(List.of(512, 64, 2048, 6, 8, 32128), List.of(t5.dModel(), t5.dKv(), t5.dFf(), t5.layers(), t5.heads(),
                t5.vocabSize()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sd15-text_encoder.json | rope_theta | 10000 | unknown key 'rope_theta'",
        "sd15-text_encoder.json | hidden_act | \"gelu_new\" | hidden_act 'gelu_new' is not supported; quick_gelu and gelu are implemented",
        "sd15-text_encoder.json | num_attention_heads | 7 | num_attention_heads 7 does not divide hidden_size 768",
        "sd15-text_encoder.json | eos_token_id | [2, 49407] | eos_token_id must be one token id",
        "sd15-text_encoder.json | architectures | [\"CLIPModel\"] | architectures CLIPModel is not a text encoder attnbench builds",
        "sd15-text_encoder.json | model_type | \"t5\" | model_type 't5' does not match CLIPTextModel",
        "sd15-text_encoder.json | hidden_size | 0 | hidden_size must be a positive integer",
        "t5-v1_1-xxl-encoder.json | feed_forward_proj | \"relu\" | feed_forward_proj 'relu' is not supported; only 'gated-gelu' (T5 v1.1)",
        "t5-v1_1-xxl-encoder.json | feed_forward_proj | \"gated-silu\" | feed_forward_proj 'gated-silu' is not supported",
        "t5-v1_1-xxl-encoder.json | dense_act_fn | \"relu\" | dense_act_fn=\"relu\" is not supported; only \"gelu_new\"",
        "t5-v1_1-xxl-encoder.json | relative_attention_num_buckets | 7 | relative_attention_num_buckets must be even",
        "t5-v1_1-xxl-encoder.json | layer_norm_epsilon | \"small\" | layer_norm_epsilon must be a number",
    })
    void whatIsNotImplementedIsRefusedByName(String file, String key, String value, String message) {
        JsonObject json = JsonParser.parseString(resource(file)).getAsJsonObject();
        json.add(key, JsonParser.parseString(value));
        UserError e = assertThrows(UserError.class, () -> TextEncoderConfig.parse("cfg", json.toString()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("config cfg"), e.getMessage());
    }

    @Test
    void aT5ConfigWithoutFeedForwardProjIsT5V10AndRefused() {
        JsonObject json = JsonParser.parseString(resource("t5-v1_1-xxl-encoder.json")).getAsJsonObject();
        json.remove("feed_forward_proj");
        json.remove("dense_act_fn");
        json.remove("is_gated_act");
        UserError e = assertThrows(UserError.class, () -> TextEncoderConfig.parse("v10", json.toString()));
        assertTrue(e.getMessage().contains("feed_forward_proj 'relu' (the default when absent) is not supported"),
                e.getMessage());
    }

    @Test
    void aConfigWithNeitherClassNorTextModelTypeIsRefused() {
        UserError e = assertThrows(UserError.class, () -> TextEncoderConfig.parse("full", "{\"model_type\": \"clip\"}"));
        assertTrue(e.getMessage().contains("model_type 'clip' is not a text encoder attnbench builds"), e.getMessage());
        assertThrows(UserError.class, () -> TextEncoderConfig.read(java.nio.file.Path.of("no/such/config.json")));
    }
}
