package org.attnbench.models.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** One tensor per weight while anyone holds it; read again under the same identity once let go. */
class SharedWeightsTest {
    private static final long[] SHAPE = {8, 4, 3, 3};

    @Test
    void aHeldWeightIsTheSameTensor() {
        SharedWeights shared = SharedWeights.of(new RandomWeights(3));
        HostTensor a = shared.tensor("conv.weight", SHAPE).orElseThrow();
        assertSame(a, shared.tensor("conv.weight", SHAPE).orElseThrow());
        assertSame(shared, SharedWeights.of(shared));
        assertEquals(DType.FLOAT32, a.dtype());
    }

    @Test
    void aWeightLetGoIsReadAgainUnderItsIdentity() {
        SharedWeights shared = SharedWeights.of(new RandomWeights(3));
        HostTensor first = shared.tensor("conv.weight", SHAPE).orElseThrow();
        Object identity = first.identity();
        float[] values = first.toFloats();
        WeakReference<HostTensor> ref = new WeakReference<>(first);
        first = null;
        for (int i = 0; i < 20 && ref.get() != null; i++) System.gc();
        assertTrue(ref.get() == null, "nothing but the shared source held it");
        HostTensor again = shared.tensor("conv.weight", SHAPE).orElseThrow();
        assertEquals(identity, again.identity(), "backends find their copies of the first reading");
        assertArrayEquals(values, again.toFloats());
    }

    @Test
    void weightsOfTwoSourcesAreDifferentWeights() {
        HostTensor a = SharedWeights.of(new RandomWeights(3)).tensor("w", SHAPE).orElseThrow();
        HostTensor b = SharedWeights.of(new RandomWeights(3)).tensor("w", SHAPE).orElseThrow();
        assertNotEquals(a.identity(), b.identity());
    }
}
