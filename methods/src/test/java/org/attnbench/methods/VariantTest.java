package org.attnbench.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.core.UserError;
import org.attnbench.methods.token.DownsampleMethod;
import org.attnbench.methods.token.Todo;
import org.attnbench.methods.token.Tome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariantTest {
    @Test
    void parsesEveryVariantWithDefaults() {
        assertEquals("dense", Variant.parse("dense").canonical());
        Todo todo = assertInstanceOf(Todo.class, Variant.parse("todo").tokens());
        assertEquals(2, todo.factor());
        assertEquals(DownsampleMethod.NEAREST_EXACT, todo.method());
        Tome tome = assertInstanceOf(Tome.class, Variant.parse("tome:ratio=0.75").tokens());
        assertEquals(0.75, tome.ratio());
        assertEquals(2, tome.sx());
        assertTrue(tome.useRand());
        assertTrue(((Tome) Variant.parse("tome-kv").tokens()).kvOnly());
    }

    @Test
    void kernelsComposeWithTokenReduction() {
        Variant v = Variant.parse("todo:factor=3,method=avg_pool,kernel=fused");
        assertEquals("fused", v.kernel().name());
        assertEquals("todo:factor=3,method=avg_pool,kernel=fused", v.canonical());
        assertEquals(512, Variant.parse("tome:ratio=0.5,slice=512").kernel().slice());
        assertEquals("dense:slice=256", Variant.parse("dense:slice=256").canonical());
    }

    @Test
    void canonicalFormParsesToItself() {
        for (String s : new String[] {"dense:kernel=fused", "todo:factor=2,method=bilinear,slice=64",
                "tome:ratio=0.5,sx=2,sy=2,use_rand=false,seed=7", "tome-kv:ratio=0.25,sx=4,sy=1,use_rand=true,seed=0"}) {
            Variant v = Variant.parse(s);
            assertEquals(v, Variant.parse(v.canonical()));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "todo:factor=0            | factor=0 is invalid; use an integer >= 1",
        "todo:method=cubic-ish    | unknown method 'cubic-ish'; use one of nearest, nearest-exact",
        "tome:ratio=0.9           | ratio 0.9 exceeds the cap 1 - 1/(sx*sy) = 0.75",
        "tome:ratio=1.5           | ratio=1.5 is invalid; use a number in [0, 1)",
        "todo:factor=2,speed=fast | unknown key 'speed'",
        "dense:slice=-4           | slice=-4 is invalid",
        "dense:kernel=flash       | kernel=flash is invalid; use one of fused, matmul",
        "dense:kernel=fused,slice=64 | slice applies to kernel=matmul only",
        "sparse                   | unknown variant 'sparse'",
        "todo:factor              | 'factor' is not key=value",
        "tome:max_downsample=3    | max_downsample=3 is invalid; use one of 1, 2, 4, 8",
        "todo:switch=0.1,stop=0.3 | stop=0.3 is above switch=0.1",
        "todo:ratio=0.9           | ratio 0.9 exceeds the cap 1 - 1/(sx*sy) = 0.75",
        "todo:ratio_level_2=0.8   | ratio_level_2 0.8 exceeds the cap 1 - 1/(sx*sy) = 0.75",
        "todo:secondary_ratio=0.5 | unknown key 'secondary_ratio'",
    })
    void badSpecsNameTheProblemAndTheAllowedValues(String spec, String expected) {
        UserError e = assertThrows(UserError.class, () -> Variant.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void unetKeysParseAndPrintOnlyWhenNotDefault() {
        assertEquals("todo:factor=2,method=nearest-exact", Variant.parse("todo:factor_level_2=1,switch=0.2").canonical());
        Todo todo = assertInstanceOf(Todo.class,
                Variant.parse("todo:factor=3,factor_level_2=2,switch=0.5,stop=0.1,ratio=0.25,ratio_level_2=0,sx=3,use_rand=false").tokens());
        assertEquals(2, todo.factorLevel2());
        assertEquals(0.1, todo.stopAt());
        assertEquals(new Todo.Secondary(0.25, 0, 3, 2, false, 0), todo.secondary());
        assertEquals("todo:factor=3,method=nearest-exact,factor_level_2=2,switch=0.5,stop=0.1,ratio=0.25,ratio_level_2=0.0,"
                + "sx=3,use_rand=false", todo.canonical());
        assertEquals(todo, Variant.parse(todo.canonical()).tokens());
        Tome tome = assertInstanceOf(Tome.class,
                Variant.parse("tome:max_downsample=4,merge_attn=false,merge_crossattn=true,merge_mlp=true").tokens());
        assertEquals(4, tome.maxDownsample());
        assertEquals(tome, Variant.parse(tome.canonical()).tokens());
        assertEquals("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0", Variant.parse("tome:max_downsample=1").canonical());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dense                                  | dense [naive]",
        "dense:kernel=fused                     | dense [fused]",
        "dense:slice=256                        | dense [slice 256]",
        "todo                                   | ToDo f=2",
        "todo:factor=3,method=avg_pool,kernel=fused | ToDo f=3 avg_pool [fused]",
        "todo:factor=4,switch=0,kernel=fused    | ToDo f=4 switch 0 [fused]",
        "tome:ratio=0.5                         | ToMe r=0.5",
        "tome-kv:ratio=0.25,sx=4,sy=1           | ToMe-KV r=0.25 4x1",
    })
    void labelsNameTheMethodAndWhatDiffersFromItsDefaults(String spec, String label) {
        assertEquals(label, Variant.parse(spec).label());
    }

    @Test
    void everyMethodParsesUnderItsOwnNameWithItsReference() {
        for (String name : Methods.names()) {
            Variant v = Variant.parse(name);
            assertEquals(name, v.family());
            assertEquals(v, Variant.parse(v.canonical()));
            assertTrue(v.label().startsWith(Methods.displayName(name)), v.label());
        }
        // A method's block is its own rewrite and twin at full resolution.
        TokenMethod todo = Variant.parse("todo:factor=3,method=avg_pool,kernel=fused").tokens();
        assertSame(todo, todo.patch().atBlock(1));
        TokenMethod tomeKv = Variant.parse("tome-kv:ratio=0.25,sx=4,sy=1").tokens();
        assertSame(tomeKv, tomeKv.patch().atBlock(1));
        assertFalse(Variant.parse("dense:kernel=fused").tokens().patch().atBlock(1) instanceof TokenMethod);
    }

    @Test
    void todoFitsAGridItLeavesTokensOn() {
        Variant todo = Variant.parse("todo:factor=4,factor_level_2=2");
        assertTrue(todo.fits(4, 8, false));
        assertFalse(todo.fits(3, 8, false));
        assertTrue(todo.fits(4, 4, true));
        Variant deepLevel2 = Variant.parse("todo:factor=2,factor_level_2=4");
        assertTrue(deepLevel2.fits(4, 4, false));
        assertFalse(deepLevel2.fits(4, 4, true), "level 2 is 2x2, which factor 4 leaves no token of");
        assertTrue(Variant.parse("tome:ratio=0.5").fits(1, 1, true));
    }
}
