package org.attnbench.backend.onnxruntime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Executable;
import org.attnbench.graph.BranchedGraph;
import org.attnbench.tensor.HostTensor;

/**
 * Graphs that run one at a time, held by one ONNX Runtime session as the branches of a
 * {@link BranchedGraph}: each graph is an executable that runs its branch. The session closes
 * with the last of them.
 */
final class OrtBranches {
    private final OrtExecutable session;
    private final int count;
    private int open;
    /** Every branch's node times, from one profiled run each (the profiler ends after them). */
    private List<Map<String, Double>> profiles;

    private OrtBranches(OrtExecutable session, int count) {
        this.session = session;
        this.count = count;
        this.open = count;
    }

    static List<Executable> of(OrtExecutable session, int count) {
        OrtBranches shared = new OrtBranches(session, count);
        List<Executable> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(shared.new Branch(i));
        return out;
    }

    private Map<String, HostTensor> withBranch(Map<String, HostTensor> inputs, int branch) {
        Map<String, HostTensor> all = new LinkedHashMap<>(inputs);
        all.put(BranchedGraph.BRANCH, HostTensor.of(new long[] {branch}, 1));
        return all;
    }

    /**
     * ORT's profiler can end only once per session, so the first branch profiled runs every
     * branch on the same inputs before ending it; the others get their run's times.
     */
    private synchronized Map<String, Double> profile(int branch, Map<String, HostTensor> inputs) {
        if (profiles == null) {
            List<Map<String, HostTensor>> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) runs.add(withBranch(inputs, i));
            profiles = session.profileRuns(runs);
        }
        return profiles.get(branch);
    }

    private synchronized void release() {
        if (--open == 0) session.close();
    }

    private final class Branch implements Executable {
        private final int index;
        private boolean closed;

        Branch(int index) {
            this.index = index;
        }

        @Override
        public List<String> inputNames() {
            return session.inputNames().stream().filter(n -> !n.equals(BranchedGraph.BRANCH)).toList();
        }

        @Override
        public List<String> outputNames() {
            return session.outputNames();
        }

        @Override
        public Map<String, HostTensor> run(Map<String, HostTensor> inputs) {
            return session.run(withBranch(inputs, index));
        }

        @Override
        public Map<String, Double> profile(Map<String, HostTensor> inputs) {
            return OrtBranches.this.profile(index, inputs);
        }

        @Override
        public Map<String, String> settings() {
            Map<String, String> s = new LinkedHashMap<>(session.settings());
            s.put("graphs", "one session, this graph as branch " + index + " of an If");
            return s;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            release();
        }
    }
}
