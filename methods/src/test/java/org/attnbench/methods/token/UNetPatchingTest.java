package org.attnbench.methods.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.attnbench.methods.Variant;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which transformer blocks of the tiny UNet a variant touches, read from the built graph's node
 * names: tiny has attention at full resolution (down_blocks.0, up_blocks.1) and at downsample 2
 * (mid_block).
 */
class UNetPatchingTest {
    /** Scopes (block/transformer/sub-block) holding nodes of the given op type. */
    private static Set<String> scopesWith(String variant, String opType) {
        var model = UNetGraph.build(UNetConfig.load("tiny"), 64, 2, Variant.parse(variant).tokens().patch(), new RandomWeights(0));
        Set<String> scopes = new TreeSet<>();
        model.proto().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(opType)).forEach(n -> {
            String[] parts = n.getName().split("/");
            scopes.add(parts[0] + "/" + parts[2]);
        });
        return scopes;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dense                                  | Gather | ''",
        "todo:factor=2                          | Gather | down_blocks.0/attn1 up_blocks.1/attn1",
        "todo:factor=2,factor_level_2=2         | Gather | down_blocks.0/attn1 mid_block/attn1 up_blocks.1/attn1",
        "tome:ratio=0.5                         | TopK   | down_blocks.0/tome up_blocks.1/tome",
        "tome:ratio=0.5,max_downsample=2        | TopK   | down_blocks.0/tome mid_block/tome up_blocks.1/tome",
        "tome:ratio=0.5,merge_mlp=true          | ScatterElements | down_blocks.0/attn1 down_blocks.0/ff up_blocks.1/attn1 up_blocks.1/ff",
        "tome:ratio=0.5,merge_attn=false,merge_crossattn=true | ScatterElements | down_blocks.0/attn2 up_blocks.1/attn2",
        "tome-kv:ratio=0.5                      | TopK   | down_blocks.0/attn1 up_blocks.1/attn1",
        "dense:kernel=fused                     | MultiHeadAttention | down_blocks.0/attn1 down_blocks.0/attn2 mid_block/attn1 mid_block/attn2 up_blocks.1/attn1 up_blocks.1/attn2",
    })
    void variantsPatchTheBlocksTheReferenceCodePatches(String variant, String opType, String expected) {
        Set<String> want = expected.isBlank() ? Set.of() : new TreeSet<>(Set.of(expected.split(" ")));
        assertEquals(want, scopesWith(variant, opType));
    }

    @org.junit.jupiter.api.Test
    void nonSquareGraphsKeepHeightAndWidthApartUnderToDo() {
        var model = UNetGraph.build(UNetConfig.load("tiny"), new org.attnbench.models.unet.ImageSize(32, 64), 1,
                Variant.parse("todo:factor=2").tokens().patch(), new RandomWeights(0));
        var sample = model.proto().getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals(4, sample.getDim(2).getDimValue());
        assertEquals(8, sample.getDim(3).getDimValue());
    }
}
