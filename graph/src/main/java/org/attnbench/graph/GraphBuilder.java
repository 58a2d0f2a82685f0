package org.attnbench.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.OperatorSetIdProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Builds an ONNX graph with static shapes. Every node's output dtype and shape are inferred
 * when it is added (so a mistake fails here, naming the node, not later in a runtime), values
 * get readable names from the current scope ("attn1/to_q/MatMul"), and weights become
 * initializers.
 *
 * <pre>{@code
 * GraphBuilder g = new GraphBuilder("block");
 * Value x = g.input("hidden_states", DType.FLOAT32, 1, 4096, 320);
 * Value w = g.initializer("attn1.to_q.weight", weight);
 * g.output("out", g.matMul(x, g.transpose(w, 1, 0)));
 * OnnxModel model = g.build();
 * }</pre>
 */
public final class GraphBuilder {
    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;
    /** Domain of ONNX Runtime's contrib operators (fused attention). */
    public static final String MS_DOMAIN = "com.microsoft";

    private final String name;
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, HostTensor> initializers = new LinkedHashMap<>();
    private final Map<String, HostTensor> folded = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> nameCounts = new HashMap<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private boolean usesMsDomain;

    public GraphBuilder(String name) {
        this.name = name;
    }

    // ---- graph inputs, weights, constants, outputs ----

    public Value input(String valueName, DType dtype, long... shape) {
        Value v = declare(valueName, dtype, shape);
        inputs.add(valueInfo(v));
        return v;
    }

    /** A weight, stored as an initializer under its exact name (diffusers names survive export). */
    public Value initializer(String valueName, HostTensor tensor) {
        Value v = declare(valueName, tensor.dtype(), tensor.shape());
        initializers.put(valueName, tensor);
        return v;
    }

    /**
     * The weight named {@code valueName}, added as an initializer from {@code source} the first
     * time it is asked for and shared after that; a missing tensor is a UserError naming it.
     */
    public Value weight(String valueName, java.util.function.Function<String, HostTensor> source) {
        if (values.containsKey(valueName)) return values.get(valueName);
        HostTensor t = source.apply(valueName);
        if (t == null) throw new org.attnbench.core.UserError("weights lack tensor '" + valueName + "'");
        return initializer(valueName, t);
    }

    /** A small constant, stored as an initializer with a generated name in the current scope. */
    public Value constant(HostTensor tensor) {
        return initializer(uniqueName("const"), tensor);
    }

    public Value constLongs(long... values) {
        return constant(HostTensor.of(values, values.length));
    }

    public Value constScalar(float value) {
        return constant(HostTensor.of(new float[] {value}));
    }

    public Value constScalar(float value, DType dtype) {
        return constant(HostTensor.of(new float[] {value}).toDType(dtype));
    }

    /** Marks a value as a graph output under {@code outputName} (adding an Identity if renamed). */
    public Value output(String outputName, Value v) {
        Value out = v.name().equals(outputName) ? v : rename(v, outputName);
        outputs.add(valueInfo(out));
        return out;
    }

    private Value rename(Value v, String newName) {
        if (values.containsKey(newName)) throw new IllegalArgumentException("value name taken: " + newName);
        nodes.add(NodeProto.newBuilder().setOpType("Identity").setName(newName + "/Identity")
                .addInput(v.name()).addOutput(newName).build());
        return declare(newName, v.dtype(), v.shape());
    }

    public boolean hasValue(String valueName) {
        return values.containsKey(valueName);
    }

    public Value value(String valueName) {
        Value v = values.get(valueName);
        if (v == null) throw new IllegalArgumentException("no value named " + valueName);
        return v;
    }

    // ---- scopes and names ----

    /** Opens a naming scope; close it with try-with-resources. */
    public Scope scope(String scopeName) {
        scopes.push(scopeName);
        return () -> scopes.pop();
    }

    /** A closable naming scope. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private String prefix() {
        if (scopes.isEmpty()) return "";
        List<String> parts = new ArrayList<>(scopes);
        java.util.Collections.reverse(parts);
        return String.join("/", parts) + "/";
    }

    private String uniqueName(String base) {
        String candidate = prefix() + base;
        int n = nameCounts.merge(candidate, 1, Integer::sum);
        return n == 1 && !values.containsKey(candidate) ? candidate : candidate + "_" + (n - 1);
    }

    private Value declare(String valueName, DType dtype, long[] shape) {
        if (values.containsKey(valueName)) throw new IllegalArgumentException("value name taken: " + valueName);
        Value v = new Value(valueName, dtype, shape);
        values.put(valueName, v);
        return v;
    }

    // ---- nodes ----

    /**
     * Adds a node of the default ONNX domain and returns its outputs with inferred types.
     * Attributes: Long/Integer (INT), Float/Double (FLOAT), String (STRING), long[] (INTS),
     * float[] (FLOATS), HostTensor (TENSOR). A null input is an absent optional input.
     */
    public List<Value> op(String opType, List<Value> opInputs, Map<String, Object> attrs, int outputCount) {
        return op("", opType, opInputs, attrs, outputCount);
    }

    public Value op(String opType, Map<String, Object> attrs, Value... opInputs) {
        return op(opType, Arrays.asList(opInputs), attrs, 1).get(0);
    }

    public Value op(String opType, Value... opInputs) {
        return op(opType, Map.of(), opInputs);
    }

    public List<Value> op(String domain, String opType, List<Value> opInputs, Map<String, Object> attrs,
                          int outputCount) {
        ShapeInference rule = OpShapes.rule(domain, opType);
        List<ShapeInference.OutputType> types;
        try {
            OpAttributes.check(domain, opType, attrs.keySet());
            types = rule.infer(opInputs, attrs, this::constantValue, outputCount);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(prefix() + opType + ": " + e.getMessage() + " (inputs "
                    + opInputs + ")", e);
        }
        if (types.size() < outputCount) {
            throw new IllegalArgumentException(opType + " infers " + types.size() + " outputs, asked for " + outputCount);
        }
        String nodeName = uniqueName(opType);
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(nodeName);
        if (!domain.isEmpty()) {
            node.setDomain(domain);
            usesMsDomain |= domain.equals(MS_DOMAIN);
        }
        // Trailing absent inputs are left out; absent ones in between are written as "".
        int given = opInputs.size();
        while (given > 0 && opInputs.get(given - 1) == null) given--;
        for (Value in : opInputs.subList(0, given)) node.addInput(in == null ? "" : in.name());
        // Sorted, so the same graph always serializes to the same bytes (Map.of iterates randomly).
        new TreeMap<>(attrs).forEach((k, v) -> node.addAttribute(attribute(k, v)));
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            String outName = outputCount == 1 ? nodeName : nodeName + ":" + i;
            outs.add(declare(outName, types.get(i).dtype(), types.get(i).shape()));
            node.addOutput(outName);
        }
        nodes.add(node.build());
        // A Constant node's value is known now, so ops that need constant inputs accept it.
        if (domain.isEmpty() && opType.equals("Constant")) folded.put(outs.get(0).name(), ShapeOpShapes.constantValue(attrs));
        return outs;
    }

    private Optional<HostTensor> constantValue(Value v) {
        if (v == null) return Optional.empty();
        HostTensor t = initializers.get(v.name());
        return Optional.ofNullable(t != null ? t : folded.get(v.name()));
    }

    static AttributeProto attribute(String key, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(key);
        if (v instanceof Long || v instanceof Integer) {
            a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
        } else if (v instanceof Float || v instanceof Double) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
        } else if (v instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
        } else if (v instanceof long[] ls) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : ls) a.addInts(l);
        } else if (v instanceof int[] is) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (int l : is) a.addInts(l);
        } else if (v instanceof float[] fs) {
            a.setType(AttributeProto.AttributeType.FLOATS);
            for (float f : fs) a.addFloats(f);
        } else if (v instanceof HostTensor t) {
            a.setType(AttributeProto.AttributeType.TENSOR).setT(TensorProtos.toProto(key, t));
        } else {
            throw new IllegalArgumentException("unsupported attribute value for " + key + ": " + v);
        }
        return a.build();
    }

    // ---- common ops (the rest through op(...)) ----

    public Value add(Value a, Value b) { return op("Add", a, b); }

    public Value sub(Value a, Value b) { return op("Sub", a, b); }

    public Value mul(Value a, Value b) { return op("Mul", a, b); }

    public Value div(Value a, Value b) { return op("Div", a, b); }

    public Value matMul(Value a, Value b) { return op("MatMul", a, b); }

    /**
     * PyTorch's Linear: x W^T (+ b) over the last axis, W [out, in] as stored. A MatMul on the
     * transposed weight: runtimes fold the transpose once when they load the graph, and ONNX
     * Runtime's MatMul then runs on a prepacked weight, measurably faster than Gemm(transB) on the
     * flattened input for the small token counts of ToDo's keys and values.
     */
    public Value linear(Value x, Value weight, Value bias) {
        Value y = matMul(x, transpose(weight, 1, 0));
        return bias == null ? y : add(y, bias);
    }

    public Value softmax(Value x, int axis) { return op("Softmax", Map.of("axis", (long) axis), x); }

    public Value reshape(Value x, long... shape) { return op("Reshape", x, constLongs(shape)); }

    /** Transpose by {@code perm}, or reversing the axes when none is given. */
    public Value transpose(Value x, long... perm) {
        return op("Transpose", perm.length == 0 ? Map.of() : Map.of("perm", perm), x);
    }

    public Value concat(int axis, Value... values) { return op("Concat", Map.of("axis", (long) axis), values); }

    /** Slice with constant bounds; {@code axes} and {@code steps} may be null (all leading axes, step 1). */
    public Value slice(Value x, long[] starts, long[] ends, long[] axes, long[] steps) {
        return op("Slice", Arrays.asList(x, constLongs(starts), constLongs(ends), axes == null ? null : constLongs(axes),
                steps == null ? null : constLongs(steps)), Map.of(), 1).get(0);
    }

    public Value gather(Value x, Value indices, int axis) { return op("Gather", Map.of("axis", (long) axis), x, indices); }

    public Value gatherElements(Value x, Value indices, int axis) {
        return op("GatherElements", Map.of("axis", (long) axis), x, indices);
    }

    /** ScatterElements; {@code reduction} is "none", "add" or "mul". */
    public Value scatterElements(Value data, Value indices, Value updates, int axis, String reduction) {
        return op("ScatterElements", Map.of("axis", (long) axis, "reduction", reduction), data, indices, updates);
    }

    /** TopK: [values, int64 indices]. */
    public List<Value> topK(Value x, long k, int axis, boolean largest, boolean sorted) {
        return op("TopK", List.of(x, constLongs(k)), Map.of("axis", (long) axis, "largest", flag(largest),
                "sorted", flag(sorted)), 2);
    }

    public Value argMax(Value x, int axis, boolean keepDims) {
        return op("ArgMax", Map.of("axis", (long) axis, "keepdims", flag(keepDims)), x);
    }

    /** ReduceMax over {@code axes} (null or empty: all axes); opset 17 takes them as an attribute. */
    public Value reduceMax(Value x, long[] axes, boolean keepDims) { return reduceByAttribute("ReduceMax", x, axes, keepDims); }

    public Value reduceMean(Value x, long[] axes, boolean keepDims) { return reduceByAttribute("ReduceMean", x, axes, keepDims); }

    /** ReduceSum over {@code axes} (null or empty: all axes), given as a constant input from opset 13. */
    public Value reduceSum(Value x, long[] axes, boolean keepDims) {
        List<Value> in = axes == null || axes.length == 0 ? List.of(x) : List.of(x, constLongs(axes));
        return op("ReduceSum", in, Map.of("keepdims", flag(keepDims)), 1).get(0);
    }

    private Value reduceByAttribute(String opType, Value x, long[] axes, boolean keepDims) {
        boolean all = axes == null || axes.length == 0;
        return op(opType, attrs("axes", all ? null : axes, "keepdims", flag(keepDims)), x);
    }

    /** Conv on NC[D]HW; {@code b}, {@code strides}, {@code pads} and {@code dilations} may be null (ONNX defaults). */
    public Value conv(Value x, Value w, Value b, long[] strides, long[] pads, long[] dilations, int group) {
        Map<String, Object> a = attrs("strides", strides, "pads", pads, "dilations", dilations, "group", (long) group);
        return op("Conv", b == null ? List.of(x, w) : List.of(x, w, b), a, 1).get(0);
    }

    public Value layerNorm(Value x, Value scale, Value bias, int axis, float epsilon) {
        return op("LayerNormalization", bias == null ? List.of(x, scale) : List.of(x, scale, bias),
                Map.of("axis", (long) axis, "epsilon", epsilon), 1).get(0);
    }

    /** Resize by constant scales (output dims floor(in * scale)). */
    public Value resize(Value x, float[] scales, String mode, String coordMode, String nearestMode) {
        return op("Resize", Arrays.asList(x, null, constant(HostTensor.of(scales, scales.length)), null),
                resizeAttrs(mode, coordMode, nearestMode), 1).get(0);
    }

    /** Resize to constant output sizes. */
    public Value resize(Value x, long[] sizes, String mode, String coordMode, String nearestMode) {
        return op("Resize", Arrays.asList(x, null, null, constLongs(sizes)), resizeAttrs(mode, coordMode, nearestMode), 1)
                .get(0);
    }

    private static Map<String, Object> resizeAttrs(String mode, String coordMode, String nearestMode) {
        return Map.of("mode", mode, "coordinate_transformation_mode", coordMode, "nearest_mode", nearestMode);
    }

    /** AveragePool; {@code strides} and {@code pads} may be null. */
    public Value averagePool(Value x, long[] kernel, long[] strides, long[] pads, boolean ceilMode) {
        return op("AveragePool", attrs("kernel_shape", kernel, "strides", strides, "pads", pads, "ceil_mode", flag(ceilMode)), x);
    }

    /** MaxPool (values only); {@code strides}, {@code pads} and {@code dilations} may be null. */
    public Value maxPool(Value x, long[] kernel, long[] strides, long[] pads, long[] dilations, boolean ceilMode) {
        return op("MaxPool", attrs("kernel_shape", kernel, "strides", strides, "pads", pads, "dilations", dilations,
                "ceil_mode", flag(ceilMode)), x);
    }

    public Value cast(Value x, DType to) { return op("Cast", Map.of("to", (long) to.onnxCode()), x); }

    public Value expand(Value x, long... shape) { return op("Expand", x, constLongs(shape)); }

    public Value where(Value condition, Value x, Value y) { return op("Where", condition, x, y); }

    public Value equal(Value a, Value b) { return op("Equal", a, b); }

    public Value unsqueeze(Value x, long... axes) { return op("Unsqueeze", x, constLongs(axes)); }

    /** Squeeze {@code axes}, or every axis of size 1 when none are given. */
    public Value squeeze(Value x, long... axes) {
        return axes.length == 0 ? op("Squeeze", x) : op("Squeeze", x, constLongs(axes));
    }

    public Value shape(Value x) { return op("Shape", x); }

    /** Splits along {@code axis} into parts of the given sizes. */
    public List<Value> split(Value x, int axis, long... sizes) {
        return op("Split", List.of(x, constLongs(sizes)), Map.of("axis", (long) axis), sizes.length);
    }

    private static long flag(boolean b) {
        return b ? 1 : 0;
    }

    /** Attributes from key/value pairs, leaving out null values (ONNX defaults apply). */
    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) a.put((String) kv[i], kv[i + 1]);
        }
        return a;
    }

    // ---- build ----

    public List<Value> graphInputs() {
        return inputs.stream().map(i -> values.get(i.getName())).toList();
    }

    /** Total bytes of all initializers. */
    public long weightBytes() {
        return initializers.values().stream().mapToLong(HostTensor::byteSize).sum();
    }

    /** Initializers up to this size are always inside the proto. */
    static final long INLINE_CONSTANT_BYTES = 1024;

    /**
     * The model. Weights up to {@link OnnxFiles#EMBED_LIMIT_BYTES} are embedded; larger sets stay
     * in memory (but for small constants) and are written as external data by {@link OnnxModel#write}.
     */
    public OnnxModel build() {
        return build(weightBytes() <= OnnxFiles.EMBED_LIMIT_BYTES);
    }

    /**
     * Drops every node no graph output depends on, and the weights and constants only those nodes
     * read: for a graph that takes some of its layers' outputs as inputs instead of computing them,
     * so what fed only those layers is not computed either. Inputs stay declared.
     */
    public void prune() {
        java.util.Set<String> live = new java.util.HashSet<>();
        outputs.forEach(o -> live.add(o.getName()));
        List<NodeProto> kept = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto node = nodes.get(i);
            if (node.getOutputList().stream().noneMatch(live::contains)) continue;
            kept.add(node);
            live.addAll(node.getInputList());
        }
        java.util.Collections.reverse(kept);
        nodes.clear();
        nodes.addAll(kept);
        initializers.keySet().retainAll(live);
    }

    /**
     * The model with its weights embedded, or held in memory whatever their size: a model built
     * from a weight source keeps them there, so graphs built from the same tensors can share them
     * (see {@link OnnxModel#memoryWeights}).
     */
    public OnnxModel build(boolean embed) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(name).addAllInput(inputs).addAllOutput(outputs)
                .addAllNode(nodes);
        // Intermediate types let tools (and the cost model) read every value's shape without inference.
        java.util.Set<String> declared = new java.util.HashSet<>(initializers.keySet());
        inputs.forEach(i -> declared.add(i.getName()));
        outputs.forEach(o -> declared.add(o.getName()));
        for (NodeProto node : nodes) {
            for (String out : node.getOutputList()) {
                if (!declared.contains(out)) graph.addValueInfo(valueInfo(values.get(out)));
            }
        }
        Map<String, HostTensor> inMemory = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : initializers.entrySet()) {
            // Small constants stay inline even then: runtimes read shapes and axes from them while loading.
            boolean inline = embed || e.getValue().byteSize() <= INLINE_CONSTANT_BYTES;
            graph.addInitializer(inline ? TensorProtos.toProto(e.getKey(), e.getValue())
                    : TensorProtos.external(e.getKey(), e.getValue(), "memory", 0));
            if (!inline) inMemory.put(e.getKey(), e.getValue());
        }
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("attnbench")
                .setProducerVersion("0.1").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (usesMsDomain) model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
        return new OnnxModel(model.build(), null, inMemory);
    }

    static ValueInfoProto valueInfo(Value v) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : v.shape()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(v.name()).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(v.dtype().onnxCode()).setShape(shape)))
                .build();
    }

    /** The data type code of a TensorProto, for callers building Cast nodes. */
    public static long onnxType(DType d) {
        return d.onnxCode();
    }
}
