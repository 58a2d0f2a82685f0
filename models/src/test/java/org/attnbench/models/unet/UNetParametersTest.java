package org.attnbench.models.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The architecture matches diffusers name for name: the parameter counts diffusers reports. */
class UNetParametersTest {
    @ParameterizedTest
    @CsvSource({"sd15, 859520964, 686", "sd21, 865910724, 686", "sdxl, 2567463684, 1680"})
    void parameterCountsMatchDiffusers(String model, long parameters, int tensors) {
        UNetConfig config = UNetConfig.load(model);
        Map<String, long[]> expected = UNetGraph.expectedWeights(config);
        assertEquals(parameters, UNetGraph.parameterCount(config));
        assertEquals(tensors, expected.size());
    }

    @org.junit.jupiter.api.Test
    void namesFollowDiffusers() {
        Map<String, long[]> w = UNetGraph.expectedWeights(UNetConfig.load("sd15"));
        assertArrayEquals(new long[] {320, 4, 3, 3}, w.get("conv_in.weight"));
        assertArrayEquals(new long[] {1280, 320}, w.get("time_embedding.linear_1.weight"));
        assertArrayEquals(new long[] {320, 320, 1, 1}, w.get("down_blocks.0.attentions.0.proj_in.weight"));
        assertArrayEquals(new long[] {320, 768}, w.get("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight"));
        assertArrayEquals(new long[] {2560, 320}, w.get("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight"));
        assertArrayEquals(new long[] {640, 320, 1, 1}, w.get("down_blocks.1.resnets.0.conv_shortcut.weight"));
        assertArrayEquals(new long[] {1280, 1280, 3, 3}, w.get("up_blocks.0.upsamplers.0.conv.weight"));
        assertArrayEquals(new long[] {4, 320, 3, 3}, w.get("conv_out.weight"));
    }
}
