package org.attnbench.metrics.cost;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.attnbench.graph.Attributes;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;

/**
 * The work a graph asks for, summed from its nodes: floating-point operations and bytes.
 *
 * <p>FLOP conventions: a multiply-add is 2 (MatMul, Gemm, Conv, attention); an elementwise or
 * unary op is 1 per output element (exp and erf included, though they cost more); Softmax is 5
 * per element (max, subtract, exp, sum, divide); normalizations 8 per element; reductions,
 * ArgMax and TopK 1 per input element; pooling 1 per window element; data movement (Reshape,
 * Transpose, Gather, Slice, Concat, Expand, ...) 0.
 *
 * @param flops total floating-point operations of one run
 * @param minimalBytes graph inputs, outputs and weights, each moved once: a lower bound on traffic
 * @param unfusedBytes every node's inputs and outputs moved once per node: the traffic of an
 *     executor that fuses nothing
 * @param flopsByOp flops per op type
 * @param flopsByPart flops per {@link StepPart}, by its label
 */
public record GraphCost(double flops, long minimalBytes, long unfusedBytes, Map<String, Double> flopsByOp,
        Map<String, Double> flopsByPart) {

    private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp", "Erf",
            "Sigmoid", "Tanh", "Sin", "Cos", "Neg", "Abs", "Relu", "Reciprocal", "Log", "Equal", "Where", "Less",
            "Greater", "Min", "Max", "Clip", "Floor", "Ceil", "Not");
    private static final Set<String> REDUCTIONS = Set.of("ReduceMax", "ReduceMean", "ReduceSum", "ReduceMin",
            "ArgMax", "TopK");

    public static GraphCost of(ModelProto model) {
        Shapes shapes = new Shapes(model.getGraph());
        double total = 0;
        long unfused = 0;
        Map<String, Double> byOp = new TreeMap<>();
        Map<String, Double> byNode = new HashMap<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            double f = nodeFlops(node, shapes);
            total += f;
            byOp.merge(node.getOpType(), f, Double::sum);
            byNode.merge(node.getName(), f, Double::sum);
            for (String in : node.getInputList()) unfused += shapes.bytes(in);
            for (String out : node.getOutputList()) unfused += shapes.bytes(out);
        }
        long minimal = 0;
        GraphProto g = model.getGraph();
        for (ValueInfoProto v : g.getInputList()) minimal += shapes.bytes(v.getName());
        for (ValueInfoProto v : g.getOutputList()) minimal += shapes.bytes(v.getName());
        for (TensorProto t : g.getInitializerList()) minimal += shapes.bytes(t.getName());
        return new GraphCost(total, minimal, unfused, byOp, StepPart.sum(byNode));
    }

    /** Achieved rate for one run of {@code millis}. */
    public double gflopsPerSecond(double millis) {
        return flops / (millis * 1e6);
    }

    static double nodeFlops(NodeProto node, Shapes s) {
        String op = node.getOpType();
        String out = node.getOutputCount() > 0 ? node.getOutput(0) : "";
        long outN = s.numel(out);
        List<String> in = node.getInputList();
        switch (op) {
            case "MatMul": {
                long[] a = s.shape(in.get(0));
                return 2.0 * outN * a[a.length - 1];
            }
            case "Gemm": {
                long[] a = s.shape(in.get(0));
                long k = new Attributes(node).getInt("transA", 0) != 0 ? a[0] : a[1];
                return 2.0 * outN * k + (in.size() > 2 && !in.get(2).isEmpty() ? outN : 0);
            }
            case "Conv": {
                long[] w = s.shape(in.get(1));
                long perOutput = 1;
                for (int i = 1; i < w.length; i++) perOutput *= w[i];
                return 2.0 * outN * perOutput + (in.size() > 2 && !in.get(2).isEmpty() ? outN : 0);
            }
            case "MultiHeadAttention": {
                long[] q = s.shape(in.get(0));
                long[] k = s.shape(in.get(1));
                long[] v = s.shape(in.get(2));
                long heads = new Attributes(node).getInt("num_heads", 1);
                double scores = (double) q[0] * q[1] * k[1];
                return 2 * scores * q[2] + 2 * scores * v[2] + 5 * scores * heads;
            }
            case "Softmax":
                return 5.0 * outN;
            case "LayerNormalization", "InstanceNormalization":
                return 8.0 * outN;
            case "AveragePool", "MaxPool": {
                long window = 1;
                for (long k : new Attributes(node).getInts("kernel_shape", new long[0])) window *= k;
                return (double) outN * window;
            }
            case "Resize":
                return new Attributes(node).getString("mode", "nearest").equals("nearest") ? 0 : 4.0 * outN;
            case "ScatterElements":
                return new Attributes(node).getString("reduction", "none").equals("none") ? 0 : s.numel(in.get(2));
            default:
                if (ELEMENTWISE.contains(op)) return outN;
                if (REDUCTIONS.contains(op)) return s.numel(in.get(0));
                return 0;
        }
    }

    /** Shapes and dtypes of every named value that the model declares. */
    static final class Shapes {
        private final Map<String, long[]> shapes = new HashMap<>();
        private final Map<String, Integer> types = new HashMap<>();

        Shapes(GraphProto g) {
            for (List<ValueInfoProto> list : List.of(g.getInputList(), g.getOutputList(), g.getValueInfoList())) {
                for (ValueInfoProto v : list) {
                    if (!v.getType().hasTensorType()) continue;
                    var t = v.getType().getTensorType();
                    shapes.put(v.getName(), t.getShape().getDimList().stream().mapToLong(d -> d.getDimValue()).toArray());
                    types.put(v.getName(), t.getElemType());
                }
            }
            for (TensorProto t : g.getInitializerList()) {
                shapes.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
                types.put(t.getName(), t.getDataType());
            }
        }

        long[] shape(String name) {
            long[] s = shapes.get(name);
            if (s == null) throw new IllegalArgumentException("no shape known for value '" + name + "'");
            return s;
        }

        long numel(String name) {
            long[] s = shapes.get(name);
            if (s == null) return 0;
            long n = 1;
            for (long d : s) n *= d;
            return n;
        }

        long bytes(String name) {
            Integer code = types.get(name);
            if (code == null) return 0;
            return numel(name) * DType.fromOnnx(code).map(DType::byteSize).orElse(0);
        }
    }
}
