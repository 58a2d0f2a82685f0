package org.attnbench.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guidance batches are (negative prompt, prompt); SDXL adds its pooled embedding and size ids; files
 * in either layout are read strictly, a prompt picked by index.
 */
class ConditioningTest {
    private static final int DIM = 3;
    private static final int N = 77 * DIM;

    @TempDir
    Path dir;

    private static float[] filled(float v) {
        float[] a = new float[N];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void fileWithBothPromptsGivesUncondThenCond() {
        Path file = dir.resolve("e.safetensors");
        Safetensors.write(file, Map.of("cond", HostTensor.of(filled(2), 1, 77, DIM), "uncond", HostTensor.of(filled(-1), 1, 77, DIM)));
        Conditioning c = Conditioning.read(file, 0);
        float[] both = c.inputs(2).get(DenoiserIO.ENCODER_HIDDEN_STATES).toFloats();
        assertEquals(-1, both[0]);
        assertEquals(2, both[N]);
        assertArrayEquals(filled(2), c.inputs(1).get(DenoiserIO.ENCODER_HIDDEN_STATES).toFloats());
        assertEquals(file.toString(), c.source());
    }

    @Test
    void missingUncondIsZerosAndTensorsOfOtherNamesAreRefused() {
        Path file = dir.resolve("e.safetensors");
        Safetensors.write(file, Map.of("cond", HostTensor.of(filled(2), 1, 77, DIM)));
        float[] both = Conditioning.read(file, 0).inputs(2).get(DenoiserIO.ENCODER_HIDDEN_STATES).toFloats();
        assertEquals(0, both[N - 1]);
        assertEquals(2, both[N]);
        // a lone tensor of another name is not taken for the prompt's states
        Safetensors.write(file, Map.of("other", HostTensor.of(filled(2), 1, 77, DIM)));
        assertEquals(file + " holds no prompt states: it has other; expected 'prompt_embeds' (encode-prompts) or 'cond'",
                assertThrows(UserError.class, () -> Conditioning.read(file, 0)).getMessage());
        Safetensors.write(file, Map.of("cond", HostTensor.of(filled(2), 1, 77, DIM), "other", HostTensor.of(filled(2), 1, 77, DIM)));
        assertTrue(assertThrows(UserError.class, () -> Conditioning.read(file, 0)).getMessage()
                .contains("has a tensor 'other' that is not prompt states"));
    }

    @Test
    void nonFiniteStatesAreRefused() {
        Path file = dir.resolve("e.safetensors");
        float[] nan = filled(Float.NaN);
        Safetensors.write(file, Map.of("cond", HostTensor.of(filled(1), 1, 77, DIM), "uncond", HostTensor.of(nan, 1, 77, DIM)));
        assertEquals("'uncond' in " + file + " holds NaN: prompt states must be finite (encode the prompts again)",
                assertThrows(UserError.class, () -> Conditioning.read(file, 0)).getMessage());
    }

    @Test
    void encodePromptsLayoutGivesThePromptAtTheIndexWithItsMasksAndPooledEmbedding() {
        int prompts = 3, tokens = 4, pooledDim = 2;
        Map<String, HostTensor> t = new java.util.LinkedHashMap<>();
        t.put("prompt_embeds", HostTensor.of(ramp(prompts * tokens * DIM, 0), prompts, tokens, DIM));
        t.put("negative_prompt_embeds", HostTensor.of(ramp(prompts * tokens * DIM, 1000), prompts, tokens, DIM));
        t.put("pooled_prompt_embeds", HostTensor.of(ramp(prompts * pooledDim, 0), prompts, pooledDim));
        t.put("negative_pooled_prompt_embeds", HostTensor.of(ramp(prompts * pooledDim, 100), prompts, pooledDim));
        t.put("prompt_attention_mask", HostTensor.of(new long[] {1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0}, prompts, tokens));
        t.put("negative_prompt_attention_mask", HostTensor.of(new long[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}, prompts, tokens));
        t.put("input_ids", HostTensor.of(new long[prompts * 5], prompts, 5));
        Conditioning c = Conditioning.encoded(t, 1, "cache");
        assertEquals(tokens, c.tokens());
        assertEquals("cache (prompt 1)", c.source());
        Map<String, HostTensor> in = c.forPooledModel(DIM, pooledDim).inputs(2);
        float[] states = in.get(DenoiserIO.ENCODER_HIDDEN_STATES).toFloats();
        assertEquals(1000 + tokens * DIM, states[0]); // negative prompt 1 first
        assertEquals(tokens * DIM, states[tokens * DIM]); // then prompt 1
        assertArrayEquals(new float[] {102, 103, 2, 3}, in.get(DenoiserIO.TEXT_EMBEDS).toFloats());
        assertEquals(null, in.get(DenoiserIO.ENCODER_ATTENTION_MASK)); // SD3 and Flux take no mask
        Map<String, HostTensor> masked = c.forMaskedModel(DIM).inputs(2);
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 1, 0, 0}, masked.get(DenoiserIO.ENCODER_ATTENTION_MASK).toLongs());
        assertEquals(null, masked.get(DenoiserIO.TEXT_EMBEDS));

        assertEquals("prompt index 3 is out of range: cache holds 3 prompts (0 to 2)",
                assertThrows(UserError.class, () -> Conditioning.encoded(t, 3, "cache")).getMessage());
        t.put("prompt_attention_mask", HostTensor.of(new long[prompts * 5], prompts, 5));
        assertEquals("embeddings 'prompt_attention_mask' in cache have shape [3, 5], expected [3, 4] (prompts and tokens of "
                + "'prompt_embeds')", assertThrows(UserError.class, () -> Conditioning.encoded(t, 0, "cache")).getMessage());
        t.remove("prompt_attention_mask");
        t.remove("negative_prompt_attention_mask");
        assertEquals("embeddings 'prompt_embeds' in cache have shape [3, 4, 3], expected width 5 (any prompt length, the "
                + "model's width)", assertThrows(UserError.class, () -> Conditioning.encoded(t, 0, "cache").forMaskedModel(5))
                .getMessage());
        // no mask: every token counts
        assertArrayEquals(new long[] {1, 1, 1, 1}, Conditioning.encoded(t, 0, "cache").forMaskedModel(DIM).inputs(1)
                .get(DenoiserIO.ENCODER_ATTENTION_MASK).toLongs());
    }

    private static float[] ramp(int n, float start) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = start + i;
        return v;
    }

    @Test
    void sdxlInputs() {
        Map<String, HostTensor> in = Conditioning.random(1, DIM).withSdxlInputs(2, 1280, 1024, 768).inputs(2);
        assertArrayEquals(new long[] {2, 1280}, in.get(DenoiserIO.TEXT_EMBEDS).shape());
        assertEquals(0, in.get(DenoiserIO.TEXT_EMBEDS).toFloats()[0]);
        assertArrayEquals(new float[] {1024, 768, 0, 0, 1024, 768, 1024, 768, 0, 0, 1024, 768},
                in.get(DenoiserIO.TIME_IDS).toFloats());
        assertEquals("random seed 1", Conditioning.random(1, DIM).source());
    }
}
