package org.attnbench.reports.data;

import java.util.List;
import java.util.Map;
import org.attnbench.metrics.cost.StepPart;
import org.attnbench.store.ResultRow;
import org.attnbench.store.StepPhase;

/**
 * What the profiled split of whole-UNet steps predicts. Each graph of a loop was run once with its
 * nodes timed and summed per part of the model (self-attention, cross-attention, feed-forward, the
 * rest), and each part's FLOPs are counted from the graph.
 *
 * <p>The ideal a variant can reach on this machine: every part of the dense step keeps the rate
 * it ran at, so a part costs its dense time scaled by the variant's FLOPs over dense's FLOPs for
 * that part; work the variant adds (token matching) costs nothing. That is "the removed share of
 * attention costing nothing more than its remaining FLOPs at the rate it ran".
 */
public final class StepSplit {
    public static final String SELF_ATTENTION = StepPart.SELF_ATTENTION.label();

    private StepSplit() {}

    /** The one profiled graph of a dense loop, when it was profiled. */
    public static StepPhase densePhase(ResultRow dense) {
        List<StepPhase> phases = dense.timing() == null ? List.of() : dense.timing().phases();
        return phases.size() == 1 && !phases.get(0).partMs().isEmpty() ? phases.get(0) : null;
    }

    /**
     * Dense image time over the variant's ideal image time (each graph's steps at the ideal step
     * time), or NaN when either loop was not profiled or counted.
     */
    public static double idealSpeedup(ResultRow dense, ResultRow variant) {
        StepPhase d = densePhase(dense);
        if (d == null || variant.timing() == null || variant.timing().phases().isEmpty()) return Double.NaN;
        double denseImage = d.stepsPerImage() * d.medianMs();
        double idealImage = 0;
        for (StepPhase v : variant.timing().phases()) {
            if (v.partFlops().isEmpty()) return Double.NaN;
            idealImage += v.stepsPerImage() * idealStepMs(d, v.partFlops());
        }
        return denseImage / idealImage;
    }

    /** The dense step's median time, each part scaled by the variant's FLOPs over dense's. */
    static double idealStepMs(StepPhase dense, Map<String, Double> variantFlops) {
        double scaled = 0;
        for (Map.Entry<String, Double> part : dense.partMs().entrySet()) {
            double share = dense.timeShare(part.getKey());
            double denseFlops = dense.partFlops().getOrDefault(part.getKey(), 0.0);
            double ratio = denseFlops > 0 ? variantFlops.getOrDefault(part.getKey(), 0.0) / denseFlops : 1;
            scaled += share * ratio;
        }
        return dense.medianMs() * scaled;
    }

    /** The speedup if self-attention cost nothing: Amdahl's ceiling for any method that only changes it. */
    public static double ceiling(StepPhase dense) {
        return 1 / (1 - dense.timeShare(SELF_ATTENTION));
    }
}
