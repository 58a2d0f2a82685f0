package org.attnbench.models.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class SD3ConfigTest {
    private static long count(Map<String, long[]> weights) {
        return weights.values().stream().mapToLong(HostTensor::numel).sum();
    }

    @Test
    void sd3MediumHasItsPublishedParameterCount() {
        SD3Config c = SD3Config.load("sd3-medium");
        assertEquals(1536, c.dim());
        assertFalse(c.qkNorm());
        assertTrue(c.dualAttentionLayers().isEmpty());
        Map<String, long[]> p = SD3Weights.parameters(c);
        assertEquals(2_028_328_000L, count(p), "SD3 medium's transformer: 2.03 billion parameters");
        assertEquals(682, p.size());
        assertArrayEquals(new long[] {1, 192 * 192, 1536}, SD3Weights.buffers(c).get("pos_embed.pos_embed"));
    }

    @Test
    void theLastBlockHasNoTextOutputAndDualBlocksASecondAttention() {
        Map<String, long[]> p = SD3Weights.parameters(SD3Config.load("sd3-tiny")); // 3 blocks, dual attention in block 0
        assertTrue(p.containsKey("transformer_blocks.1.attn.to_add_out.weight"));
        assertFalse(p.containsKey("transformer_blocks.2.attn.to_add_out.weight"), "text output of the last block is unused");
        assertFalse(p.containsKey("transformer_blocks.2.ff_context.net.0.proj.weight"));
        assertArrayEquals(new long[] {2 * 16, 16}, p.get("transformer_blocks.2.norm1_context.linear.weight"),
                "AdaLayerNormContinuous: scale and shift");
        assertArrayEquals(new long[] {9 * 16, 16}, p.get("transformer_blocks.0.norm1.linear.weight"), "SD3.5's 9 modulations");
        assertArrayEquals(new long[] {6 * 16, 16}, p.get("transformer_blocks.1.norm1.linear.weight"));
        assertTrue(p.containsKey("transformer_blocks.0.attn2.norm_k.weight"));
        assertFalse(p.containsKey("transformer_blocks.1.attn2.to_q.weight"));
        assertArrayEquals(new long[] {8}, p.get("transformer_blocks.1.attn.norm_added_q.weight"), "RMSNorm over a head");
    }

    @Test
    void sd35ModelsReadTheirDualLayersAndQkNorm() {
        SD3Config medium = SD3Config.load("sd3.5-medium");
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), medium.dualAttentionLayers());
        assertTrue(medium.qkNorm());
        assertEquals(2_243_171_520L, count(SD3Weights.parameters(medium)));
        assertEquals(8_056_627_520L, count(SD3Weights.parameters(SD3Config.load("sd3.5-large"))));
    }

    @Test
    void whatIsNotImplementedIsRefusedByName() {
        UserError unknown = assertThrows(UserError.class, () -> SD3Config.parse("c", "{\"guidance_embeds\": true}"));
        assertEquals("config c: unknown key 'guidance_embeds'", unknown.getMessage());
        UserError norm = assertThrows(UserError.class, () -> SD3Config.parse("c", "{\"qk_norm\": \"layer_norm\"}"));
        assertTrue(norm.getMessage().contains("qk_norm=\"layer_norm\" is not supported"), norm.getMessage());
        UserError dual = assertThrows(UserError.class,
                () -> SD3Config.parse("c", "{\"num_layers\": 4, \"dual_attention_layers\": [4], \"caption_projection_dim\": 1152}"));
        assertTrue(dual.getMessage().contains("blocks are 0..3"), dual.getMessage());
        UserError width = assertThrows(UserError.class, () -> SD3Config.parse("c", "{\"caption_projection_dim\": 1000}"));
        assertTrue(width.getMessage().contains("caption_projection_dim 1000 differs from the width 1152"), width.getMessage());
    }

    @Test
    void imagesBeyondThePositionTableAreRefusedWithTheLargestSize() {
        SD3Config tiny = SD3Config.load("sd3-tiny"); // 16 patches a side: 256 px
        assertArrayEquals(new int[] {32, 32}, SD3Graph.latentSize(tiny, org.attnbench.models.unet.ImageSize.square(256)));
        UserError e = assertThrows(UserError.class, () -> SD3Graph.latentSize(tiny, org.attnbench.models.unet.ImageSize.square(512)));
        assertTrue(e.getMessage().contains("beyond sd3-tiny's position table (16 patches a side, 256 px)"), e.getMessage());
        UserError odd = assertThrows(UserError.class, () -> SD3Graph.latentSize(tiny, org.attnbench.models.unet.ImageSize.square(120)));
        assertTrue(odd.getMessage().contains("multiples of 16 px"), odd.getMessage());
    }
}
