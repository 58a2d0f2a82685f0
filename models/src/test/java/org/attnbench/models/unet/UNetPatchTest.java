package org.attnbench.models.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.models.attention.Dense;
import org.attnbench.models.attention.Todo;
import org.attnbench.models.attention.Tome;
import org.attnbench.models.attention.VariantSpec;
import org.junit.jupiter.api.Test;

class UNetPatchTest {
    @Test
    void todoFollowsItsTimestepSchedule() {
        UNetPatch todo = UNetPatch.of(VariantSpec.parse("todo:factor=2,switch=0.5,stop=0.1,ratio=0.25,kernel=fused"));
        assertSame(todo, todo.atTimestep(999));
        assertSame(todo, todo.atTimestep(501));
        UNetPatch secondary = todo.atTimestep(500);
        assertEquals(VariantSpec.Phase.SECONDARY, secondary.phase());
        Tome level1 = assertInstanceOf(Tome.class, secondary.atBlock(1));
        assertTrue(level1.kvOnly());
        assertEquals(0.25, level1.ratio());
        assertEquals("fused", level1.kernel().name());
        assertEquals(VariantSpec.Phase.OFF, todo.atTimestep(100).phase());
        assertEquals("dense:kernel=fused", todo.atTimestep(100).atBlock(1).canonical());
        assertTrue(!secondary.equals(todo) && !secondary.equals(todo.atTimestep(100)), "phases are distinct graphs");
        UNetPatch tome = UNetPatch.of(VariantSpec.parse("tome:ratio=0.5"));
        assertSame(tome, tome.atTimestep(0));
    }

    @Test
    void todoSecondaryMergesLevelTwoWhateverItsFactor() {
        // The reference gates level 2's downsampling on downsample_factor_level_2, its similarity merge only on ratio_level_2.
        UNetPatch secondary = UNetPatch.of(VariantSpec.parse("todo:factor=2,ratio_level_2=0.375")).atTimestep(117);
        Tome level2 = assertInstanceOf(Tome.class, secondary.atBlock(2));
        assertEquals(0.375, level2.ratio());
        assertTrue(level2.kvOnly());
        assertInstanceOf(Dense.class, secondary.atBlock(4));
        UNetPatch primary = UNetPatch.of(VariantSpec.parse("todo:factor=2")).atTimestep(873);
        assertInstanceOf(Dense.class, primary.atBlock(2));
    }

    @Test
    void todoPatchesLevelOneAndOptionallyLevelTwo() {
        UNetPatch plain = UNetPatch.of(VariantSpec.parse("todo:factor=3"));
        assertEquals(3, ((Todo) plain.atBlock(1)).factor());
        assertInstanceOf(Dense.class, plain.atBlock(2));
        UNetPatch two = UNetPatch.of(VariantSpec.parse("todo:factor=3,factor_level_2=2"));
        assertEquals(2, ((Todo) two.atBlock(2)).factor());
        assertInstanceOf(Dense.class, two.atBlock(4));
    }

    @Test
    void tomeMergesBlocksUpToMaxDownsample() {
        UNetPatch tome = UNetPatch.of(VariantSpec.parse("tome:ratio=0.5,max_downsample=2,merge_mlp=true"));
        assertSame(tome.spec(), tome.atBlock(2));
        assertInstanceOf(Dense.class, tome.atBlock(4));
        assertEquals("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0,max_downsample=2,merge_mlp=true",
                tome.spec().canonical());
        assertEquals(tome.spec(), VariantSpec.parse(tome.spec().canonical()));
        assertEquals(tome.spec().canonical() + " (blocks with downsample <= 2)", tome.describe());
    }

    @Test
    void todoDescribesWhereItsScheduleStands() {
        UNetPatch todo = UNetPatch.of(VariantSpec.parse("todo:factor=2"));
        assertEquals("todo:factor=2,method=nearest-exact [downsampling: level 1 factor 2, level 2 dense; schedule: "
                + "secondary for t/1000 <= 0.2, dense for t/1000 <= 0.0]", todo.describe());
        assertTrue(todo.atTimestep(101).describe().contains("[similarity merge of keys/values: level 1 ratio 0.5,"));
    }
}
