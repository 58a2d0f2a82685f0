package org.attnbench.reports.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoTest {
    record P(String name, double speed, double error) {}

    static List<String> front(P... points) {
        return Pareto.front(List.of(points), P::speed, P::error).stream().map(P::name).toList();
    }

    @Test
    void keepsOnlyPointsNoOtherBeatsOnBoth() {
        // c is slower and worse than b; e is as fast as d but worse
        assertEquals(List.of("a", "b", "d"), front(new P("a", 1.0, 0.001), new P("b", 1.5, 0.006), new P("c", 1.2, 0.02),
                new P("d", 2.1, 0.03), new P("e", 2.1, 0.05)));
    }

    @Test
    void aPointBetterOnBothIsTheWholeFrontAndTiesKeepOne() {
        assertEquals(List.of("best"), front(new P("slow", 1.0, 0.1), new P("best", 2.0, 0.01), new P("mid", 1.5, 0.05)));
        assertEquals(List.of("x"), front(new P("x", 1.3, 0.006), new P("y", 1.3, 0.006)));
        assertEquals(List.of(), front());
    }
}
