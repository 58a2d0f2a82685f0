package org.attnbench.methods.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.Variant;
import org.attnbench.models.attention.TokenPatch;
import org.junit.jupiter.api.Test;

/** Where each token method acts in a UNet (by depth) and, for ToDo, when (by timestep). */
class TodoScheduleTest {
    private static TokenMethod method(String spec) {
        return Variant.parse(spec).tokens();
    }

    @Test
    void todoFollowsItsTimestepSchedule() {
        TokenMethod todo = method("todo:factor=2,switch=0.5,stop=0.1,ratio=0.25,kernel=fused");
        assertEquals(todo.patch().describe(), todo.patchAt(999).describe());
        assertEquals(todo.patch().describe(), todo.patchAt(501).describe());
        assertEquals(todo.canonical(), todo.patchAt(501).name());
        TokenPatch secondary = todo.patchAt(500);
        assertEquals(todo.canonical() + "_secondary", secondary.name());
        Tome level1 = assertInstanceOf(Tome.class, secondary.atBlock(1));
        assertTrue(level1.kvOnly());
        assertEquals(0.25, level1.ratio());
        assertEquals("fused", level1.kernel().name());
        assertEquals(todo.canonical() + "_off", todo.patchAt(100).name());
        assertFalse(todo.patchAt(100).atBlock(1) instanceof TokenMethod, "the off phase is the network's own attention");
        assertTrue(!secondary.describe().equals(todo.patch().describe())
                && !secondary.describe().equals(todo.patchAt(100).describe()), "phases are distinct graphs");
        TokenMethod tome = method("tome:ratio=0.5");
        assertEquals(tome.patch().describe(), tome.patchAt(0).describe());
    }

    @Test
    void todoSecondaryMergesLevelTwoWhateverItsFactor() {
        // The reference gates level 2's downsampling on downsample_factor_level_2, its similarity merge only on ratio_level_2.
        TokenPatch secondary = method("todo:factor=2,ratio_level_2=0.375").patchAt(117);
        Tome level2 = assertInstanceOf(Tome.class, secondary.atBlock(2));
        assertEquals(0.375, level2.ratio());
        assertTrue(level2.kvOnly());
        assertFalse(secondary.atBlock(4) instanceof TokenMethod);
        TokenPatch primary = method("todo:factor=2").patchAt(873);
        assertFalse(primary.atBlock(2) instanceof TokenMethod);
    }

    @Test
    void todoPatchesLevelOneAndOptionallyLevelTwo() {
        TokenPatch plain = method("todo:factor=3").patch();
        assertEquals(3, ((Todo) plain.atBlock(1)).factor());
        assertFalse(plain.atBlock(2) instanceof TokenMethod);
        TokenPatch two = method("todo:factor=3,factor_level_2=2").patch();
        assertEquals(2, ((Todo) two.atBlock(2)).factor());
        assertFalse(two.atBlock(4) instanceof TokenMethod);
    }

    @Test
    void tomeMergesBlocksUpToMaxDownsample() {
        TokenMethod tome = method("tome:ratio=0.5,max_downsample=2,merge_mlp=true");
        assertSame(tome, tome.patch().atBlock(2));
        assertFalse(tome.patch().atBlock(4) instanceof TokenMethod);
        assertEquals("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0,max_downsample=2,merge_mlp=true", tome.canonical());
        assertEquals(tome, method(tome.canonical()));
        assertEquals(tome.canonical() + " (blocks with downsample <= 2)", tome.patch().describe());
    }

    @Test
    void todoDescribesWhereItsScheduleStands() {
        TokenMethod todo = method("todo:factor=2");
        assertEquals("todo:factor=2,method=nearest-exact [downsampling: level 1 factor 2, level 2 dense; schedule: "
                + "secondary for t/1000 <= 0.2, dense for t/1000 <= 0.0]", todo.patch().describe());
        assertTrue(todo.patchAt(101).describe().contains("[similarity merge of keys/values: level 1 ratio 0.5,"));
    }
}
