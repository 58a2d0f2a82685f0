package org.attnbench.models.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class FluxConfigTest {
    private static long count(Map<String, long[]> weights) {
        return weights.values().stream().mapToLong(HostTensor::numel).sum();
    }

    @Test
    void flux1DevHasItsPublishedParameterCount() {
        FluxConfig dev = FluxConfig.load("flux-dev");
        assertEquals(3072, dev.dim());
        assertEquals(List.of(16, 56, 56), dev.axesDimsRope());
        Map<String, long[]> p = FluxWeights.parameters(dev);
        assertEquals(11_901_408_320L, count(p), "Flux.1-dev's transformer: 11.9 billion parameters");
        assertEquals(1160, p.size());
        assertArrayEquals(new long[] {3072, 15360}, p.get("single_transformer_blocks.37.proj_out.weight"),
                "attention and MLP projected out together");
    }

    @Test
    void schnellLacksOnlyTheGuidanceEmbedding() {
        Map<String, long[]> dev = FluxWeights.parameters(FluxConfig.load("flux-dev"));
        Map<String, long[]> schnell = FluxWeights.parameters(FluxConfig.load("flux-schnell"));
        assertFalse(schnell.containsKey("time_text_embed.guidance_embedder.linear_1.weight"));
        assertEquals(count(dev) - (256L * 3072 + 3072) - (3072L * 3072 + 3072), count(schnell));
    }

    @Test
    void whatIsNotImplementedIsRefusedByName() {
        UserError unknown = assertThrows(UserError.class, () -> FluxConfig.parse("c", "{\"qk_norm\": \"rms_norm\"}"));
        assertEquals("config c: unknown key 'qk_norm'", unknown.getMessage());
        UserError rope = assertThrows(UserError.class, () -> FluxConfig.parse("c", "{\"axes_dims_rope\": [16, 56, 50]}"));
        assertTrue(rope.getMessage().contains("sum to 122, not the head dim 128"), rope.getMessage());
        UserError guidance = assertThrows(UserError.class, () -> FluxConfig.parse("c", "{\"guidance_embeds\": 1}"));
        assertTrue(guidance.getMessage().contains("guidance_embeds must be true or false"), guidance.getMessage());
    }
}
