package org.attnbench.metrics.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FidelityTest {
    @Test
    void identicalOutputsArePerfect() {
        Fidelity f = Fidelity.compare(new double[] {1, -2, 3}, new double[] {1, -2, 3});
        assertEquals(0, f.mse());
        assertEquals(0, f.maxAbs());
        assertEquals(0, f.relativeL2());
        assertEquals(1, f.cosine(), 1e-15);
    }

    @Test
    void handComputedValues() {
        // differences 0, 1, -2: MSE = 5/3, max 2, ||ref|| = sqrt(1+4+9+... ) below
        Fidelity f = Fidelity.compare(new double[] {3, 0, 4}, new double[] {3, 1, 2});
        assertEquals(5.0 / 3, f.mse(), 1e-15);
        assertEquals(2, f.maxAbs());
        assertEquals(Math.sqrt(5.0 / 25), f.relativeL2(), 1e-15);
        assertEquals((9 + 0 + 8) / (5 * Math.sqrt(14)), f.cosine(), 1e-15);
    }
}
