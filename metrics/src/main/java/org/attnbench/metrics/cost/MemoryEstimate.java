package org.attnbench.metrics.cost;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;

/**
 * The memory one run of a graph needs, read from its value shapes before anything runs: its
 * weights, plus the largest set of intermediates alive at once when the nodes run in order and
 * each value is freed after its last use (what DJL's executor does, and about what ONNX Runtime's
 * memory planner achieves). A lower bound on what a runtime uses, so a cell it calls too large
 * cannot fit.
 *
 * @param weightBytes the initializers
 * @param peakActivationBytes the most bytes of inputs, intermediates and outputs alive at one node
 * @param largestValue the name of the largest value alive at that peak (the one to shrink)
 * @param largestValueBytes its size
 */
public record MemoryEstimate(long weightBytes, long peakActivationBytes, String largestValue, long largestValueBytes) {

    public long totalBytes() {
        return weightBytes + peakActivationBytes;
    }

    public static MemoryEstimate of(ModelProto model) {
        GraphProto g = model.getGraph();
        GraphCost.Shapes shapes = new GraphCost.Shapes(g);
        Set<String> weights = new HashSet<>();
        long weightBytes = 0;
        for (TensorProto t : g.getInitializerList()) {
            weights.add(t.getName());
            weightBytes += shapes.bytes(t.getName());
        }
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            for (String in : g.getNode(i).getInputList()) lastUse.put(in, i);
        }
        for (ValueInfoProto out : g.getOutputList()) lastUse.put(out.getName(), g.getNodeCount());
        Map<String, Long> live = new HashMap<>();
        for (ValueInfoProto in : g.getInputList()) {
            if (!weights.contains(in.getName())) live.put(in.getName(), shapes.bytes(in.getName()));
        }
        long liveBytes = live.values().stream().mapToLong(Long::longValue).sum();
        long peak = liveBytes;
        String largest = live.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto node = g.getNode(i);
            for (String out : node.getOutputList()) {
                if (out.isEmpty()) continue;
                long b = shapes.bytes(out);
                live.put(out, b);
                liveBytes += b;
            }
            if (liveBytes > peak) {
                peak = liveBytes;
                largest = live.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
            }
            // Inputs read here for the last time die now, and so do outputs nobody reads.
            for (String name : node.getInputList()) {
                if (lastUse.get(name) == i && live.containsKey(name)) liveBytes -= live.remove(name);
            }
            for (String name : node.getOutputList()) {
                if (!lastUse.containsKey(name) && live.containsKey(name)) liveBytes -= live.remove(name);
            }
        }
        return new MemoryEstimate(weightBytes, peak, largest, largest.isEmpty() ? 0 : shapes.bytes(largest));
    }
}
