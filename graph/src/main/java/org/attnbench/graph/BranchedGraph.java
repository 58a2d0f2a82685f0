package org.attnbench.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.OperatorSetIdProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Graphs that run one at a time (the graphs of a timestep schedule) as one graph: each becomes a
 * branch of nested If nodes, chosen by an int64 input {@value #BRANCH}. A runtime then holds one
 * session for all of them, so the weights it shares by name, the copies it derives from them
 * (packed or reordered layouts) and its activation memory exist once, not once per graph.
 *
 * <p>Every graph must have the same inputs and outputs. Weights held in memory with the same name
 * must be the same tensor (graphs built from one weight source are); they are initializers of the
 * outer graph. Everything else of a graph (its nodes, values and small constants) lives in its
 * branch under a prefix {@code bI/}, so names never clash across branches.
 */
public final class BranchedGraph {
    /** The input that selects the branch: int64 [1], 0 for the first graph. */
    public static final String BRANCH = "branch";

    private BranchedGraph() {}

    public static OnnxModel of(List<OnnxModel> models) {
        if (models.size() < 2) throw new IllegalArgumentException("branches need two graphs or more");
        GraphProto first = models.get(0).proto().getGraph();
        Map<String, HostTensor> shared = sharedWeights(models);
        Set<String> outer = first.getInputList().stream().map(ValueInfoProto::getName).collect(Collectors.toSet());
        outer.addAll(shared.keySet());

        GraphProto.Builder g = GraphProto.newBuilder().setName("branches").addAllInput(first.getInputList())
                .addInput(ValueInfoProto.newBuilder().setName(BRANCH).setType(tensorType(DType.INT64, 1)))
                .addAllOutput(first.getOutputList());
        List<GraphProto> branches = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            GraphProto graph = models.get(i).proto().getGraph();
            requireSameSignature(first, graph, i);
            branches.add(branch(graph, "b" + i + "/", outer, shared.keySet()));
            if (i < models.size() - 1) {
                g.addInitializer(TensorProtos.toProto(BRANCH + "/" + i, HostTensor.of(new long[] {i}, 1)));
                g.addNode(NodeProto.newBuilder().setOpType("Equal").setName(BRANCH + "/is_" + i)
                        .addInput(BRANCH).addInput(BRANCH + "/" + i).addOutput(BRANCH + "/is_" + i));
            }
        }
        List<String> outputs = first.getOutputList().stream().map(ValueInfoProto::getName).toList();
        g.addNode(ifChain(branches, 0, outputs, first.getOutputList()));
        Set<String> added = new HashSet<>();
        for (OnnxModel m : models) {
            for (TensorProto t : m.proto().getGraph().getInitializerList()) {
                if (shared.containsKey(t.getName()) && added.add(t.getName())) g.addInitializer(t);
            }
        }
        ModelProto.Builder model = models.get(0).proto().toBuilder().setGraph(g).clearOpsetImport();
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OnnxModel m : models) {
            for (OperatorSetIdProto o : m.proto().getOpsetImportList()) opsets.merge(o.getDomain(), o.getVersion(), Math::max);
        }
        opsets.forEach((domain, version) -> model.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        return new OnnxModel(model.build(), models.get(0).baseDir(), shared);
    }

    /** Weights held in memory, by name; the same name must be the same tensor in every graph. */
    private static Map<String, HostTensor> sharedWeights(List<OnnxModel> models) {
        Map<String, HostTensor> shared = new LinkedHashMap<>();
        for (OnnxModel m : models) {
            for (Map.Entry<String, HostTensor> e : m.memoryWeights().entrySet()) {
                HostTensor before = shared.putIfAbsent(e.getKey(), e.getValue());
                if (before != null && before != e.getValue()) {
                    throw new IllegalArgumentException("graphs hold different weights named '" + e.getKey()
                            + "': branches share weights only when built from the same source");
                }
            }
        }
        return shared;
    }

    /** The If node choosing branch {@code i} when branch/is_i holds, else the chain of the ones after it. */
    private static NodeProto ifChain(List<GraphProto> branches, int i, List<String> outputs, List<ValueInfoProto> types) {
        GraphProto elseBranch;
        if (i + 2 == branches.size()) {
            elseBranch = branches.get(i + 1);
        } else {
            String prefix = "else" + i + "/";
            List<String> inner = outputs.stream().map(o -> prefix + o).toList();
            GraphProto.Builder e = GraphProto.newBuilder().setName(prefix + "chain")
                    .addNode(ifChain(branches, i + 1, inner, types));
            for (int k = 0; k < types.size(); k++) e.addOutput(types.get(k).toBuilder().setName(inner.get(k)));
            elseBranch = e.build();
        }
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("If").setName(BRANCH + "/if_" + i)
                .addInput(BRANCH + "/is_" + i).addAllOutput(outputs)
                .addAttribute(graphAttribute("then_branch", branches.get(i)))
                .addAttribute(graphAttribute("else_branch", elseBranch));
        return node.build();
    }

    /** A graph as a branch: no inputs (it reads the outer graph's), its own names under {@code prefix}. */
    private static GraphProto branch(GraphProto graph, String prefix, Set<String> outer, Set<String> shared) {
        Map<String, String> names = new HashMap<>();
        UnaryOperator<String> rename = n -> n.isEmpty() || outer.contains(n) ? n
                : names.computeIfAbsent(n, k -> prefix + k);
        GraphProto.Builder b = GraphProto.newBuilder().setName(prefix + graph.getName());
        for (TensorProto t : graph.getInitializerList()) {
            if (!shared.contains(t.getName())) b.addInitializer(t.toBuilder().setName(rename.apply(t.getName())));
        }
        for (NodeProto n : graph.getNodeList()) {
            NodeProto.Builder nb = n.toBuilder().setName(prefix + n.getName());
            for (int k = 0; k < n.getInputCount(); k++) nb.setInput(k, rename.apply(n.getInput(k)));
            for (int k = 0; k < n.getOutputCount(); k++) nb.setOutput(k, rename.apply(n.getOutput(k)));
            b.addNode(nb);
        }
        for (ValueInfoProto v : graph.getValueInfoList()) b.addValueInfo(v.toBuilder().setName(rename.apply(v.getName())));
        for (ValueInfoProto v : graph.getOutputList()) b.addOutput(v.toBuilder().setName(rename.apply(v.getName())));
        return b.build();
    }

    private static void requireSameSignature(GraphProto first, GraphProto graph, int i) {
        if (!first.getInputList().equals(graph.getInputList()) || !first.getOutputList().equals(graph.getOutputList())) {
            throw new IllegalArgumentException("graph " + i + " has other inputs or outputs than graph 0: branches"
                    + " of one graph must be called alike");
        }
    }

    private static AttributeProto graphAttribute(String name, GraphProto graph) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(graph).build();
    }

    private static TypeProto tensorType(DType dtype, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(dtype.onnxCode()).setShape(shape))
                .build();
    }
}
