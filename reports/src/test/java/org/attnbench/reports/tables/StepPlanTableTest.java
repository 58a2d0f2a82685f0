package org.attnbench.reports.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.attnbench.store.StepPhase;
import org.junit.jupiter.api.Test;

class StepPlanTableTest {
    private static StepPhase phase(String kind, Integer... steps) {
        return new StepPhase("g " + kind, steps.length, List.of(1.0), 1, 1, Map.of(), Map.of(), kind, List.of(steps));
    }

    @Test
    void thePlanMarksEachStepByItsKind() {
        List<StepPhase> deepCache = List.of(phase("full", 0, 3, 6), phase("partial", 1, 2, 4, 5, 7));
        assertEquals("F p p F p p F p", StepPlanTable.plan(deepCache, 8));
        assertEquals("3 full, 5 partial", StepPlanTable.kinds(deepCache));
        // a row written before kinds were recorded: full steps, their places unknown
        StepPhase old = new StepPhase("dense", 4, List.of(1.0), 1, 1);
        assertEquals("full", old.kind());
        assertEquals("4 full", StepPlanTable.kinds(List.of(old)));
        assertEquals("? ? ? ?", StepPlanTable.plan(List.of(old), 4));
    }
}
