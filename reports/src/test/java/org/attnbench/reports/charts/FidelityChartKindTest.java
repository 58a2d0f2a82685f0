package org.attnbench.reports.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FidelityChartKindTest {
    @Test
    void familiesAreToldApartByKind() {
        assertEquals(FidelityChart.Kind.TOKEN, FidelityChart.kind("todo"));
        assertEquals(FidelityChart.Kind.TOKEN, FidelityChart.kind("dense"));
        assertEquals(FidelityChart.Kind.CROSS_STEP, FidelityChart.kind("deepcache"));
        assertEquals(FidelityChart.Kind.CROSS_STEP, FidelityChart.kind("first-block-cache"));
        assertEquals(FidelityChart.Kind.STACKED, FidelityChart.kind("todo+deepcache"));
    }
}
