package org.attnbench.models.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.models.attention.VariantSpec;
import org.junit.jupiter.api.Test;

class UNetPatchTest {
    @Test
    void todoFollowsItsTimestepSchedule() {
        UNetPatch todo = UNetPatch.of(VariantSpec.parse("todo:factor=2,switch=0.5,stop=0.1,ratio=0.25,kernel=fused"));
        assertSame(todo, todo.atTimestep(999));
        assertSame(todo, todo.atTimestep(501));
        UNetPatch secondary = todo.atTimestep(500);
        assertEquals(UNetPatch.Phase.SECONDARY, secondary.phase());
        VariantSpec.Tome level1 = assertInstanceOf(VariantSpec.Tome.class, secondary.selfAttention(1));
        assertTrue(level1.kvOnly());
        assertEquals(0.25, level1.ratio());
        assertEquals("fused", level1.kernel().name());
        assertEquals(UNetPatch.Phase.OFF, todo.atTimestep(100).phase());
        assertEquals("dense:kernel=fused", todo.atTimestep(100).selfAttention(1).canonical());
        assertTrue(!secondary.equals(todo) && !secondary.equals(todo.atTimestep(100)), "phases are distinct graphs");
        UNetPatch tome = UNetPatch.of(VariantSpec.parse("tome:ratio=0.5"));
        assertSame(tome, tome.atTimestep(0));
    }

    @Test
    void todoSecondaryMergesLevelTwoWhateverItsFactor() {
        // The reference gates level 2's downsampling on downsample_factor_level_2, its similarity merge only on ratio_level_2.
        UNetPatch secondary = UNetPatch.of(VariantSpec.parse("todo:factor=2,ratio_level_2=0.375")).atTimestep(117);
        VariantSpec.Tome level2 = assertInstanceOf(VariantSpec.Tome.class, secondary.selfAttention(2));
        assertEquals(0.375, level2.ratio());
        assertTrue(level2.kvOnly());
        assertInstanceOf(VariantSpec.Dense.class, secondary.selfAttention(4));
        UNetPatch primary = UNetPatch.of(VariantSpec.parse("todo:factor=2")).atTimestep(873);
        assertInstanceOf(VariantSpec.Dense.class, primary.selfAttention(2));
    }

    @Test
    void todoPatchesLevelOneAndOptionallyLevelTwo() {
        UNetPatch plain = UNetPatch.of(VariantSpec.parse("todo:factor=3"));
        assertEquals(3, ((VariantSpec.Todo) plain.selfAttention(1)).factor());
        assertInstanceOf(VariantSpec.Dense.class, plain.selfAttention(2));
        UNetPatch two = UNetPatch.of(VariantSpec.parse("todo:factor=3,factor_level_2=2"));
        assertEquals(2, ((VariantSpec.Todo) two.selfAttention(2)).factor());
        assertInstanceOf(VariantSpec.Dense.class, two.selfAttention(4));
    }

    @Test
    void tomeMergesBlocksUpToMaxDownsample() {
        UNetPatch tome = UNetPatch.of(VariantSpec.parse("tome:ratio=0.5,max_downsample=2,merge_mlp=true"));
        assertTrue(tome.blockMerge(2).mergeMlp());
        assertNull(tome.blockMerge(4));
        assertNull(UNetPatch.of(VariantSpec.parse("tome-kv:ratio=0.5")).blockMerge(1));
        assertEquals("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0,max_downsample=2,merge_mlp=true",
                tome.spec().canonical());
        assertEquals(tome.spec(), VariantSpec.parse(tome.spec().canonical()));
    }
}
