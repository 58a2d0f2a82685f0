package org.attnbench.models.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** PixArt configs: the real model's parameter list as diffusers instantiates it, and strict keys. */
class PixArtConfigTest {
    @Test
    void pixartSigmaHasDiffusersParameterCount() {
        // diffusers' PixArtTransformer2DModel for PixArt-Sigma-XL-2-1024-MS: 610,856,096 parameters in
        // 603 tensors (its fp32 safetensors file is 4 bytes each plus the header).
        for (String name : new String[] {"pixart-sigma", "pixart-sigma-2k"}) {
            Map<String, long[]> w = PixArtGraph.expectedWeights(PixArtConfig.load(name));
            assertEquals(603, w.size(), name);
            assertEquals(610_856_096L, w.values().stream().mapToLong(HostTensor::numel).sum(), name);
        }
        // PixArt-XL-2-1024-MS (α): the same plus the resolution and aspect-ratio embedders, as diffusers 0.40
        // instantiates its config: 611,349,152 parameters in 611 tensors
        PixArtConfig alpha = PixArtConfig.load("pixart-alpha");
        assertTrue(alpha.additionalConditions());
        Map<String, long[]> a = PixArtGraph.expectedWeights(alpha);
        assertEquals(611, a.size());
        assertEquals(611_349_152L, a.values().stream().mapToLong(HostTensor::numel).sum());
        assertEquals(384, a.get("adaln_single.emb.aspect_ratio_embedder.linear_2.weight")[0]);
        Map<String, long[]> w = PixArtGraph.expectedWeights(PixArtConfig.load("pixart-sigma"));
        assertEquals(1152, w.get("transformer_blocks.27.attn2.to_k.weight")[1]);
        assertEquals(6, w.get("transformer_blocks.0.scale_shift_table")[0]);
        assertEquals(4096, w.get("caption_projection.linear_1.weight")[1]);
    }

    @Test
    void unimplementedKeysAreRefusedByName() {
        UserError e = assertThrows(UserError.class, () -> PixArtConfig.parse("c", "{\"norm_type\": \"ada_norm_zero\"}"));
        assertEquals("config c: norm_type=\"ada_norm_zero\" is not supported; only \"ada_norm_single\" is implemented",
                e.getMessage());
        UserError unknown = assertThrows(UserError.class, () -> PixArtConfig.parse("c", "{\"qk_norm\": true}"));
        assertEquals("config c: unknown key 'qk_norm'", unknown.getMessage());
        // PixArt-α 1024: diffusers turns the resolution embeddings on when the key is absent at sample_size 128.
        assertTrue(PixArtConfig.parse("alpha", "{\"sample_size\": 128}").additionalConditions());
        assertEquals(false, PixArtConfig.parse("a512", "{\"sample_size\": 64}").additionalConditions());
        assertEquals(1, PixArtConfig.parse("a512", "{\"sample_size\": 64}").interpolationScale());
        UserError odd = assertThrows(UserError.class, () -> PixArtConfig.parse("odd",
                "{\"use_additional_conditions\": true, \"num_attention_heads\": 2, \"attention_head_dim\": 8, \"cross_attention_dim\": 16}"));
        assertEquals("config odd: use_additional_conditions needs a width divisible by 3 (its size embeddings are a third "
                + "of it each), got 16", odd.getMessage());
    }

    @Test
    void sizesMustFillWholePatches() {
        PixArtConfig sigma = PixArtConfig.load("pixart-sigma");
        assertEquals(128, PixArtGraph.latentSize(sigma, ImageSize.square(1024))[0]);
        UserError e = assertThrows(UserError.class, () -> PixArtGraph.latentSize(sigma, ImageSize.square(1000)));
        assertTrue(e.getMessage().contains("multiples of 16 px"), e.getMessage());
    }

    @Test
    void positionsPutTheColumnFirstThenTheRow() {
        PixArtConfig tiny = PixArtConfig.load("pixart-tiny");
        float[] pe = PixArtGraph.positions(tiny, 2, 3);
        int d = tiny.dim();
        int quarter = d / 4;
        // token (row 1, column 2) of a 2 x 3 grid; base 8 (sample 16 / patch 2), interpolation scale 1
        int at = (1 * 3 + 2) * d;
        double col = 2 * 8.0 / 3;
        double row = 1 * 8.0 / 2;
        assertEquals(Math.sin(col), pe[at], 1e-6);
        assertEquals(Math.cos(col), pe[at + quarter], 1e-6);
        assertEquals(Math.sin(row), pe[at + 2 * quarter], 1e-6);
        assertEquals(Math.cos(row * Math.pow(10000, -1.0 / quarter)), pe[at + 3 * quarter + 1], 1e-6);
    }
}
