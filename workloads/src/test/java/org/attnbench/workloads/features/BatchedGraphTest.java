package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BatchedGraphTest {
    @Test
    void batchesAreSpreadEvenlyOverTheFewestRuns() {
        assertEquals(6, BatchedGraph.evenBatch(12, 8));
        assertEquals(8, BatchedGraph.evenBatch(16, 8));
        assertEquals(6, BatchedGraph.evenBatch(17, 8));
        assertEquals(1, BatchedGraph.evenBatch(1, 8));
        assertEquals(3, BatchedGraph.evenBatch(3, 8));
        assertEquals(1, BatchedGraph.evenBatch(5, 1));
    }
}
