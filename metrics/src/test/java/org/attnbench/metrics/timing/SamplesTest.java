package org.attnbench.metrics.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, new Samples(new double[] {5, 1, 3}).median());
        assertEquals(2.5, new Samples(new double[] {4, 1, 3, 2}).median());
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        Samples s = new Samples(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertEquals(9.1, s.percentile(90), 1e-12);   // numpy.percentile(1..10, 90)
        assertEquals(1.0, s.percentile(0));
        assertEquals(10.0, s.percentile(100));
    }

    @Test
    void rejectsEmptyAndOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Samples(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new Samples(new double[] {1}).percentile(101));
    }
}
