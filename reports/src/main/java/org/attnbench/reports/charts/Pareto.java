package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Pareto front of speed against error: the points no other point beats on both, that is, no
 * other point is at least as fast and at most as wrong while strictly better in one of the two.
 * These are the only settings worth choosing; everything else is slower for the same error.
 */
public final class Pareto {
    private Pareto() {}

    /** The front, in increasing speed (and so, along the front, increasing error). */
    public static <T> List<T> front(List<T> points, ToDoubleFunction<T> speed, ToDoubleFunction<T> error) {
        List<T> sorted = new ArrayList<>(points);
        // fastest first; among equally fast, the most accurate first
        sorted.sort(Comparator.comparingDouble(speed).reversed().thenComparingDouble(error));
        List<T> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (T p : sorted) {
            if (error.applyAsDouble(p) < best) {
                front.add(p);
                best = error.applyAsDouble(p);
            }
        }
        java.util.Collections.reverse(front);
        return front;
    }
}
