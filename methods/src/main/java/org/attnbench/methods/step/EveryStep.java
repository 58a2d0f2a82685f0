package org.attnbench.methods.step;

import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.methods.StepContext;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.TokenMethod;
import org.attnbench.models.DenoiserIO;

/**
 * The plan of a variant without a cross-step method: the whole model at every step, under the token
 * method's patch at the step's timestep, so ToDo's schedule (downsampling, then the similarity merge,
 * then nothing) is this plan's choice of graph by timestep. Nothing carries over.
 */
public final class EveryStep implements StepPlan {
    private final TokenMethod tokens;
    private final Map<StepGraph, Integer> graphs = new LinkedHashMap<>();

    public EveryStep(TokenMethod tokens, double[] timesteps) {
        this.tokens = tokens;
        for (double t : timesteps) graphs.merge(StepGraph.whole(tokens.patchAt(t)), 1, Integer::sum);
    }

    public Map<StepGraph, Integer> graphs() {
        return graphs;
    }

    public void begin() {}

    public Outcome step(StepContext step) {
        StepGraph graph = StepGraph.whole(tokens.patchAt(step.timestep()));
        return new Outcome(step.run(graph, Map.of()).get(DenoiserIO.OUT_SAMPLE), StepKind.FULL, "");
    }
}
