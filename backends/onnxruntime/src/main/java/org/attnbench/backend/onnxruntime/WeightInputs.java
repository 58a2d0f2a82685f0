package org.attnbench.backend.onnxruntime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;

/**
 * A graph whose in-memory weights are declared as inputs rather than initializers. ONNX Runtime
 * copies every initializer it is given into each session and derives more copies from constant
 * ones (folded transposes, packed GEMM operands, blocked convolution filters); an input it reads in
 * place from the caller's buffer. Fed from one set of tensors, the weights are held once however
 * many sessions a model compiles.
 *
 * <p>A linear layer is MatMul(x, Transpose(W)), which a session folds once for a constant W; on an
 * input W the Transpose would copy the weight on every run. Such a MatMul becomes Gemm with transB
 * on x flattened to two axes, which reads W where it lies.
 */
final class WeightInputs {
    private WeightInputs() {}

    static ModelProto declare(ModelProto model, Set<String> weights) {
        GraphProto source = model.getGraph();
        GraphProto.Builder graph = source.toBuilder().clearInitializer().clearNode();
        for (TensorProto t : source.getInitializerList()) {
            if (weights.contains(t.getName())) graph.addInput(input(t));
            else graph.addInitializer(t);
        }
        Map<String, String> transposed = transposedWeights(source, weights);
        Map<String, List<Long>> shapes = shapes(source);
        Set<String> read = new HashSet<>();
        for (NodeProto node : source.getNodeList()) {
            if (!becomesGemm(node, transposed, shapes)) read.addAll(node.getInputList());
        }
        Set<String> dropped = new HashSet<>();
        for (NodeProto node : source.getNodeList()) {
            if (becomesGemm(node, transposed, shapes)) {
                gemm(graph, node, transposed.get(node.getInput(1)), shapes);
            } else if (!transposed.containsKey(node.getOutput(0)) || read.contains(node.getOutput(0))) {
                graph.addNode(node);
            } else {
                dropped.add(node.getOutput(0)); // a Transpose of a weight that only the rewritten MatMuls read
            }
        }
        List<ValueInfoProto> infos = source.getValueInfoList().stream().filter(v -> !dropped.contains(v.getName())).toList();
        graph.clearValueInfo().addAllValueInfo(infos);
        return model.toBuilder().setGraph(graph).build();
    }

    private static boolean becomesGemm(NodeProto node, Map<String, String> transposed, Map<String, List<Long>> shapes) {
        if (!node.getOpType().equals("MatMul") || !transposed.containsKey(node.getInput(1))) return false;
        List<Long> x = shapes.get(node.getInput(0));
        return x != null && x.size() >= 2 && shapes.containsKey(node.getOutput(0));
    }

    /** Output of a 2-D Transpose of a weight, mapped to the weight. */
    private static Map<String, String> transposedWeights(GraphProto graph, Set<String> weights) {
        Map<String, String> out = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            if (!n.getOpType().equals("Transpose") || !weights.contains(n.getInput(0))) continue;
            List<Long> perm = n.getAttributeList().stream().filter(a -> a.getName().equals("perm"))
                    .findFirst().map(AttributeProto::getIntsList).orElse(List.of(1L, 0L));
            if (perm.equals(List.of(1L, 0L))) out.put(n.getOutput(0), n.getInput(0));
        }
        return out;
    }

    /** x·Wᵀ as Reshape(x, [-1, in]), Gemm(transB), Reshape back, named after the MatMul. */
    private static void gemm(GraphProto.Builder graph, NodeProto matMul, String weight, Map<String, List<Long>> shapes) {
        List<Long> x = shapes.get(matMul.getInput(0));
        List<Long> y = shapes.get(matMul.getOutput(0));
        String name = matMul.getName();
        String rowsShape = name + "/rows_shape";
        String outShape = name + "/out_shape";
        graph.addInitializer(longs(rowsShape, List.of(-1L, x.get(x.size() - 1))));
        graph.addInitializer(longs(outShape, y));
        String rows = matMul.getOutput(0) + "/rows";
        String product = matMul.getOutput(0) + "/gemm";
        graph.addNode(NodeProto.newBuilder().setName(name + "/Reshape_rows").setOpType("Reshape")
                .addInput(matMul.getInput(0)).addInput(rowsShape).addOutput(rows));
        graph.addNode(NodeProto.newBuilder().setName(name + "/Gemm").setOpType("Gemm")
                .addInput(rows).addInput(weight).addOutput(product)
                .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1)));
        graph.addNode(NodeProto.newBuilder().setName(name + "/Reshape_out").setOpType("Reshape")
                .addInput(product).addInput(outShape).addOutput(matMul.getOutput(0)));
    }

    private static Map<String, List<Long>> shapes(GraphProto graph) {
        Map<String, List<Long>> out = new HashMap<>();
        List<ValueInfoProto> all = new ArrayList<>(graph.getInputList());
        all.addAll(graph.getValueInfoList());
        all.addAll(graph.getOutputList());
        for (ValueInfoProto v : all) {
            if (!v.getType().getTensorType().hasShape()) continue;
            List<Long> dims = new ArrayList<>();
            for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
                if (!d.hasDimValue()) break;
                dims.add(d.getDimValue());
            }
            if (dims.size() == v.getType().getTensorType().getShape().getDimCount()) out.put(v.getName(), dims);
        }
        return out;
    }

    private static TensorProto longs(String name, List<Long> values) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.size()).addAllInt64Data(values).build();
    }

    private static ValueInfoProto input(TensorProto t) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.getDimsList()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        TypeProto.Tensor.Builder type = TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(shape);
        return ValueInfoProto.newBuilder().setName(t.getName()).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }
}
