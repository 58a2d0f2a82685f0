package org.attnbench.metrics.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void studentTIntervalOfTheMean() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, s = sqrt(32/7); t(0.9995, 7) = 5.407882520...
        Samples s = new Samples(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(Math.sqrt(32.0 / 7), s.standardDeviation(), 1e-12);
        double half = 5.4078825 * Math.sqrt(32.0 / 7) / Math.sqrt(8);
        double[] ci = s.meanInterval(0.999);
        assertEquals(5 - half, ci[0], 1e-6);
        assertEquals(5 + half, ci[1], 1e-6);
    }

    @Test
    void bootstrapIntervalOfAMedianRatioContainsTheEstimate() {
        Samples slow = new Samples(new double[] {100, 102, 98, 101, 99, 103, 97, 100, 101});
        Samples fast = new Samples(new double[] {50, 51, 49, 50, 52, 48, 50, 51, 49});
        MedianRatio r = MedianRatio.of(slow, fast, 0.95, 2000, 7);
        assertEquals(2.0, r.ratio(), 1e-12);
        assertTrue(r.low() <= 2.0 && 2.0 <= r.high() && r.low() > 1.8 && r.high() < 2.2, r.toString());
        assertEquals(r, MedianRatio.of(slow, fast, 0.95, 2000, 7)); // seeded: reproducible
    }

    @Test
    void mannWhitneyOnSeparatedAndOverlappingSamples() {
        Samples a = new Samples(new double[] {1, 2, 3, 4, 5});
        Samples b = new Samples(new double[] {6, 7, 8, 9, 10});
        ChangeTest separated = ChangeTest.mannWhitney(a, b);
        assertEquals(0, separated.u());
        // Normal approximation: z = (12.5 - 0) / sqrt(5*5*11/12) = 2.6112, p = 0.00902
        assertEquals(0.00902, separated.pValue(), 1e-4);
        assertTrue(separated.significant(0.05));
        ChangeTest same = ChangeTest.mannWhitney(a, new Samples(new double[] {1.5, 2.5, 3.5, 4.5, 5.5}));
        assertEquals(10, same.u()); // U1 = 10, U2 = 15
        assertTrue(!same.significant(0.05), same.toString());
    }

    @Test
    void rejectsEmptyAndOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Samples(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new Samples(new double[] {1}).percentile(101));
    }
}
