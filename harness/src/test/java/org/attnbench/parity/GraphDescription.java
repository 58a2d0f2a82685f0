package org.attnbench.parity;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;

/** A generated graph as readable text (one node a line, with shapes and attributes) and its op types. */
final class GraphDescription {
    private GraphDescription() {}

    /** Op types of the graph's nodes, leaving out the Identity nodes that only name outputs. */
    static Set<String> opTypes(OnnxModel model) {
        Set<String> out = new LinkedHashSet<>();
        for (NodeProto n : model.proto().getGraph().getNodeList()) {
            if (!isOutputRename(n)) out.add(n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + "::" + n.getOpType());
        }
        return out;
    }

    private static boolean isOutputRename(NodeProto n) {
        return n.getOpType().equals("Identity") && n.getName().equals(n.getOutput(0) + "/Identity");
    }

    static String of(OnnxModel model) {
        GraphProto graph = model.proto().getGraph();
        Map<String, String> types = new HashMap<>();
        for (ValueInfoProto v : graph.getInputList()) types.put(v.getName(), type(v));
        for (ValueInfoProto v : graph.getValueInfoList()) types.put(v.getName(), type(v));
        for (ValueInfoProto v : graph.getOutputList()) types.put(v.getName(), type(v));
        StringBuilder sb = new StringBuilder();
        for (ValueInfoProto v : graph.getInputList()) sb.append("  input ").append(v.getName()).append(types.get(v.getName())).append('\n');
        Map<String, TensorProto> constants = new HashMap<>();
        graph.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        for (NodeProto n : graph.getNodeList()) {
            String ins = n.getInputList().stream().map(i -> i.isEmpty() ? "-" : constants.containsKey(i) ? constant(constants.get(i))
                    : i + types.getOrDefault(i, "")).collect(Collectors.joining(", "));
            String attrs = n.getAttributeList().stream().map(GraphDescription::attribute).collect(Collectors.joining(", "));
            String outs = n.getOutputList().stream().map(o -> o + types.getOrDefault(o, "")).collect(Collectors.joining(", "));
            sb.append("  ").append(n.getOpType()).append(attrs.isEmpty() ? "" : "{" + attrs + "}")
                    .append("(").append(ins).append(") -> ").append(outs).append('\n');
        }
        sb.append("  outputs ").append(graph.getOutputList().stream().map(ValueInfoProto::getName).toList());
        return sb.toString();
    }

    private static String type(ValueInfoProto v) {
        return ":" + v.getType().getTensorType().getElemType() + v.getType().getTensorType().getShape().getDimList()
                .stream().map(d -> Long.toString(d.getDimValue())).collect(Collectors.joining(",", "[", "]"));
    }

    /** Small int64 constants (axes, shapes, indices) by value, other constants by shape. */
    private static String constant(TensorProto t) {
        String dims = t.getDimsList().toString();
        if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
            long[] v = org.attnbench.graph.TensorProtos.toHost(t, null).toLongs();
            if (v.length <= 24) return "int64" + dims + "=" + Arrays.toString(v);
        }
        if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE && t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b) <= 4) {
            return "const" + dims + "=" + Arrays.toString(org.attnbench.graph.TensorProtos.toHost(t, null).toFloats());
        }
        return "const:" + t.getDataType() + dims;
    }

    private static String attribute(AttributeProto a) {
        String v = switch (a.getType()) {
            case INT -> Long.toString(a.getI());
            case FLOAT -> Float.toString(a.getF());
            case STRING -> a.getS().toStringUtf8();
            case INTS -> a.getIntsList().toString();
            case FLOATS -> a.getFloatsList().toString();
            case TENSOR -> "tensor" + a.getT().getDimsList();
            default -> a.getType().toString();
        };
        return a.getName() + "=" + v;
    }
}
