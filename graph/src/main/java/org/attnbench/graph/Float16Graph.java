package org.attnbench.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A float32 graph converted to run in float16, for runtimes that execute a graph's own dtypes
 * (ONNX Runtime). Weights, activations and arithmetic become float16, with float32 kept where
 * precision needs it, as ONNX Runtime's float16 conversion of Stable Diffusion keeps it:
 * <ul>
 *   <li>graph inputs and outputs stay float32 ("keep_io_types"), cast at each end;</li>
 *   <li>normalizations (InstanceNormalization, which carries GroupNorm, and LayerNormalization)
 *       and Softmax run in float32: their sums and statistics lose precision, or overflow, in
 *       float16;</li>
 *   <li>ScatterElements with a reduction (ToMe's merge summing tokens into their destinations)
 *       accumulates in float32, which ONNX Runtime's CPU provider also requires;</li>
 *   <li>the sinusoidal timestep embeddings (scopes {@code time_proj}, {@code add_time_proj}) stay
 *       float32, as diffusers computes them: a timestep near 1000 times a frequency needs more
 *       than float16's 11 bits of mantissa;</li>
 *   <li>rotary position embeddings (scope {@code rotary}) stay float32, as diffusers rotates
 *       queries and keys in float32 or above: an angle of a position near 64 has float16 steps of
 *       0.03 radians;</li>
 *   <li>inputs typed float32 whatever the data (Resize's roi and scales) are left alone.</li>
 * </ul>
 * A Cast is inserted wherever a value crosses between the two, once per value and target type.
 * The graph must declare the type of every value (graphs from {@link GraphBuilder} do).
 */
public final class Float16Graph {
    private static final int F32 = DType.FLOAT32.onnxCode();
    private static final int F16 = DType.FLOAT16.onnxCode();
    private static final Set<String> FLOAT32_OPS = Set.of("InstanceNormalization", "LayerNormalization", "Softmax");
    private static final Set<String> FLOAT32_SCOPES = Set.of("time_proj", "add_time_proj", "rotary");
    /** Inputs whose type ONNX fixes to float32 whatever the data's type, by op: input indices. */
    private static final Map<String, Set<Integer>> FIXED_FLOAT32_INPUTS = Map.of("Resize", Set.of(1, 2));

    /**
     * Float16 copies of in-memory weights, by the float32 tensor they copy: every graph converted
     * from the same weights (a timestep schedule's graphs) shares one copy, as the float32 ones do.
     * Weak keys (HostTensor compares by identity): a copy goes once its float32 tensor is unused.
     */
    private static final Map<HostTensor, HostTensor> HALF_WEIGHTS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The identity of a weight's float16 copy, for a weight that has a stable one. */
    private record Half(Object weight) {}

    private final GraphProto graph;
    /** Each value's type as the float32 graph declares it. */
    private final Map<String, Integer> declared = new HashMap<>();
    /** Each value's type in the converted graph. */
    private final Map<String, Integer> stored = new HashMap<>();
    /** Values the conversion adds (casts, renamed outputs), by the value whose shape they have. */
    private final Map<String, String> shapeSource = new HashMap<>();
    /** Graph outputs a float16 node produces: the node writes this name, a Cast makes the output. */
    private final Map<String, String> renamedOutputs = new HashMap<>();
    private final List<NodeProto> nodes = new ArrayList<>();

    private Float16Graph(GraphProto graph) {
        this.graph = graph;
        for (ValueInfoProto v : graph.getInputList()) declared.put(v.getName(), elemType(v));
        for (ValueInfoProto v : graph.getOutputList()) declared.put(v.getName(), elemType(v));
        for (ValueInfoProto v : graph.getValueInfoList()) declared.put(v.getName(), elemType(v));
        for (TensorProto t : graph.getInitializerList()) declared.put(t.getName(), t.getDataType());
    }

    /** {@code w} in float16; under an identity of its own if {@code w} has a stable one, so backends share it too. */
    private static HostTensor half(HostTensor w) {
        HostTensor h = w.toDType(DType.FLOAT16);
        // A copy never points at a weight that is its own identity: the weak key would never go.
        return w.identity() == w ? h : h.withIdentity(new Half(w.identity()));
    }

    /** The model in float16, float32 kept where precision needs it; in-memory weights converted once per process. */
    public static OnnxModel convert(OnnxModel model) {
        Float16Graph c = new Float16Graph(model.proto().getGraph());
        Set<String> halfInitializers = c.halfInitializers();
        c.convertNodes(halfInitializers);
        GraphProto.Builder g = model.proto().getGraph().toBuilder().clearNode().addAllNode(c.nodes).clearValueInfo()
                .clearInitializer();
        Map<String, HostTensor> memory = new LinkedHashMap<>();
        for (TensorProto t : model.proto().getGraph().getInitializerList()) {
            boolean half = halfInitializers.contains(t.getName());
            HostTensor inMemory = model.memoryWeights().get(t.getName());
            if (inMemory == null && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                // Weights in files are mapped, converted and held in memory like a built graph's.
                inMemory = TensorProtos.toHost(t, model.baseDir());
                t = TensorProtos.external(t.getName(), inMemory, "memory", 0);
            }
            if (inMemory != null) {
                HostTensor w = half ? HALF_WEIGHTS.computeIfAbsent(inMemory, Float16Graph::half) : inMemory;
                memory.put(t.getName(), w);
                g.addInitializer(t.toBuilder().setDataType(w.dtype().onnxCode()));
            } else {
                HostTensor value = TensorProtos.toHost(t, model.baseDir());
                g.addInitializer(TensorProtos.toProto(t.getName(), half ? value.toDType(DType.FLOAT16) : value));
            }
        }
        Set<String> io = new HashSet<>();
        g.getInputList().forEach(v -> io.add(v.getName()));
        g.getOutputList().forEach(v -> io.add(v.getName()));
        for (NodeProto n : c.nodes) {
            for (String out : n.getOutputList()) {
                if (!out.isEmpty() && !io.contains(out) && c.stored.containsKey(out)) {
                    g.addValueInfo(c.valueInfo(out));
                }
            }
        }
        return new OnnxModel(model.proto().toBuilder().setGraph(g).build(), model.baseDir(), memory);
    }

    /** Float32 initializers that some float16 node reads: they are stored in float16. */
    private Set<String> halfInitializers() {
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> { if (t.getDataType() == F32) initializers.add(t.getName()); });
        Set<String> half = new HashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            if (keepsFloat32(n)) continue;
            for (int i = 0; i < n.getInputCount(); i++) {
                if (initializers.contains(n.getInput(i)) && !fixedFloat32(n, i)) half.add(n.getInput(i));
            }
        }
        return half;
    }

    private void convertNodes(Set<String> halfInitializers) {
        for (ValueInfoProto v : graph.getInputList()) stored.put(v.getName(), elemType(v));
        for (TensorProto t : graph.getInitializerList()) {
            stored.put(t.getName(), halfInitializers.contains(t.getName()) ? F16 : t.getDataType());
        }
        Set<String> outputs = new HashSet<>();
        graph.getOutputList().forEach(v -> outputs.add(v.getName()));
        for (NodeProto n : graph.getNodeList()) {
            int compute = keepsFloat32(n) ? F32 : F16;
            NodeProto.Builder b = n.toBuilder();
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = renamedOutputs.getOrDefault(n.getInput(i), n.getInput(i));
                Integer type = stored.get(in);
                if (!in.isEmpty() && isFloat(type) && type != compute && !fixedFloat32(n, i)) in = cast(in, compute);
                b.setInput(i, in);
            }
            if (compute == F16) halfAttributes(b);
            for (int k = 0; k < n.getOutputCount(); k++) {
                String out = n.getOutput(k);
                if (out.isEmpty()) continue;
                int type = outputType(n, out, compute);
                if (outputs.contains(out) && type == F16) {
                    String inner = out + "/float16";
                    b.setOutput(k, inner);
                    stored.put(inner, F16);
                    shapeSource.put(inner, out);
                    renamedOutputs.put(out, inner);
                } else {
                    stored.put(out, type);
                }
            }
            nodes.add(b.build());
        }
        for (Map.Entry<String, String> e : renamedOutputs.entrySet()) {
            nodes.add(castNode(e.getValue(), e.getKey(), F32));
            stored.put(e.getKey(), F32);
        }
    }

    /** A float output of a float16 node is float16; everything else keeps its declared type. */
    private int outputType(NodeProto n, String out, int compute) {
        Integer type = declared.get(out);
        if (type == null) throw new IllegalArgumentException("value '" + out + "' of node '" + n.getName() + "' has no declared type");
        return type == F32 ? compute : type;
    }

    /** Cast's target, ConstantOfShape's and Constant's float32 values become float16. */
    private static void halfAttributes(NodeProto.Builder b) {
        for (int a = 0; a < b.getAttributeCount(); a++) {
            AttributeProto attr = b.getAttribute(a);
            if (b.getOpType().equals("Cast") && attr.getName().equals("to") && attr.getI() == F32) {
                b.setAttribute(a, attr.toBuilder().setI(F16));
            } else if (attr.hasT() && attr.getT().getDataType() == F32
                    && (b.getOpType().equals("ConstantOfShape") || b.getOpType().equals("Constant"))) {
                HostTensor value = TensorProtos.toHost(attr.getT(), null).toDType(DType.FLOAT16);
                b.setAttribute(a, attr.toBuilder().setT(TensorProtos.toProto(attr.getT().getName(), value)));
            }
        }
    }

    /** The value in the other float type, through one Cast per value and target. */
    private String cast(String value, int to) {
        String out = value + (to == F16 ? "/to_float16" : "/to_float32");
        if (!shapeSource.containsKey(out)) {
            nodes.add(castNode(value, out, to));
            stored.put(out, to);
            shapeSource.put(out, shapeSource.getOrDefault(value, value));
        }
        return out;
    }

    private static NodeProto castNode(String in, String out, int to) {
        return NodeProto.newBuilder().setOpType("Cast").setName(out + "/Cast").addInput(in).addOutput(out)
                .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT).setI(to))
                .build();
    }

    private ValueInfoProto valueInfo(String name) {
        ValueInfoProto original = findValueInfo(shapeSource.getOrDefault(name, name));
        TypeProto.Tensor.Builder t = original == null ? TypeProto.Tensor.newBuilder()
                : original.getType().getTensorType().toBuilder();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(t.setElemType(stored.get(name)))).build();
    }

    private Map<String, ValueInfoProto> infos;

    private ValueInfoProto findValueInfo(String name) {
        if (infos == null) {
            infos = new HashMap<>();
            graph.getInputList().forEach(v -> infos.put(v.getName(), v));
            graph.getOutputList().forEach(v -> infos.put(v.getName(), v));
            graph.getValueInfoList().forEach(v -> infos.put(v.getName(), v));
            for (TensorProto t : graph.getInitializerList()) {
                TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
                for (long d : t.getDimsList()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
                infos.put(t.getName(), ValueInfoProto.newBuilder().setName(t.getName()).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(shape))).build());
            }
        }
        return infos.get(name);
    }

    static boolean keepsFloat32(NodeProto n) {
        if (FLOAT32_OPS.contains(n.getOpType())) return true;
        if (n.getOpType().equals("ScatterElements") && !new Attributes(n).getString("reduction", "none").equals("none")) {
            return true;
        }
        for (String scope : n.getName().split("/")) {
            if (FLOAT32_SCOPES.contains(scope)) return true;
        }
        return false;
    }

    private static boolean fixedFloat32(NodeProto n, int input) {
        return FIXED_FLOAT32_INPUTS.getOrDefault(n.getOpType(), Set.of()).contains(input);
    }

    private static boolean isFloat(Integer type) {
        return type != null && (type == F32 || type == F16);
    }

    private static int elemType(ValueInfoProto v) {
        return v.getType().getTensorType().getElemType();
    }
}
