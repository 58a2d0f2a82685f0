package org.attnbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A graph compiled for one device: weights resident as NDArrays (in a root manager, or shared
 * with other graphs of the same weights, {@link SharedArrays}), the
 * node list, and for every value the index of the node that uses it last, so a run can
 * close each intermediate as soon as it is dead.
 */
final class DjlExecutable implements Executable {
    /** A graph input or output: name, declared dtype and shape (-1 for a symbolic dimension, null for an unknown rank). */
    record ValueSpec(String name, DType dtype, long[] shape) {}

    private final NDManager root;
    private final SharedArrays.Lease shared;
    private final Map<String, NDArray> resident;
    private final Map<String, HostTensor> constants;
    private final List<NodeProto> nodes;
    private final List<Op> ops;
    private final Map<String, Integer> lastUse = new HashMap<>();
    private final List<ValueSpec> inputs;
    private final List<ValueSpec> outputs;
    private final Set<NDArray> residentSet = Collections.newSetFromMap(new IdentityHashMap<>());
    private final int opset;
    private final DataType compute;
    private final Map<String, String> settings;
    private final Map<String, NDArray> derived = new HashMap<>();

    DjlExecutable(NDManager root, SharedArrays.Lease shared, Map<String, NDArray> resident, Map<String, HostTensor> constants,
                  List<NodeProto> nodes, List<ValueSpec> inputs, List<ValueSpec> outputs, int opset,
                  DataType compute, Map<String, String> settings) {
        this.root = root;
        this.shared = shared;
        this.resident = resident;
        this.constants = constants;
        this.nodes = nodes;
        this.ops = nodes.stream().map(n -> OpRegistry.op(n)).toList();
        this.inputs = inputs;
        this.outputs = outputs;
        this.opset = opset;
        this.compute = compute;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        residentSet.addAll(resident.values());
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).getInputList()) lastUse.put(in, i);
        }
        // Graph outputs live to the end; they are closed after the copy out.
        for (ValueSpec out : outputs) lastUse.put(out.name(), nodes.size());
    }

    static ValueSpec spec(ValueInfoProto v) {
        DType d = DType.fromOnnx(v.getType().getTensorType().getElemType())
                .orElseThrow(() -> new UserError("input '" + v.getName() + "' has an unsupported dtype"));
        if (!v.getType().getTensorType().hasShape()) return new ValueSpec(v.getName(), d, null);
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        long[] shape = dims.stream().mapToLong(x -> x.hasDimValue() ? x.getDimValue() : -1).toArray();
        return new ValueSpec(v.getName(), d, shape);
    }

    @Override
    public List<String> inputNames() {
        return inputs.stream().map(ValueSpec::name).toList();
    }

    @Override
    public List<String> outputNames() {
        return outputs.stream().map(ValueSpec::name).toList();
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public Map<String, HostTensor> run(Map<String, HostTensor> feed) {
        return run(feed, null);
    }

    /** libtorch runs each op eagerly on the CPU, so a node's wall time is its own. */
    @Override
    public Map<String, Double> profile(Map<String, HostTensor> feed) {
        Map<String, Double> millis = new LinkedHashMap<>();
        run(feed, millis);
        return millis;
    }

    /** Runs the graph; with {@code nodeMillis}, times each node into it. */
    private Map<String, HostTensor> run(Map<String, HostTensor> feed, Map<String, Double> nodeMillis) {
        validate(feed);
        try (NDManager runManager = root.newSubManager()) {
            Map<String, NDArray> values = new HashMap<>();
            for (ValueSpec s : inputs) {
                NDArray a = Tensors.toNd(runManager, feed.get(s.name()));
                values.put(s.name(), castIn(a));
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (nodeMillis == null) {
                    step(i, values, runManager);
                    continue;
                }
                long t0 = System.nanoTime();
                step(i, values, runManager);
                nodeMillis.merge(nodes.get(i).getName(), (System.nanoTime() - t0) / 1e6, Double::sum);
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            for (ValueSpec o : outputs) {
                NDArray a = values.containsKey(o.name()) ? values.get(o.name()) : resident.get(o.name());
                if (a == null) throw new UserError("graph output '" + o.name() + "' is never computed");
                NDArray declared = castOut(a, o.dtype());
                out.put(o.name(), Tensors.toHost(declared));
                if (declared != a) declared.close();
            }
            return out;
        }
    }

    private void step(int index, Map<String, NDArray> values, NDManager runManager) {
        NodeProto node = nodes.get(index);
        List<NDArray> args = new ArrayList<>();
        for (String name : node.getInputList()) {
            if (name.isEmpty()) {
                args.add(null);
                continue;
            }
            NDArray a = values.containsKey(name) ? values.get(name) : resident.get(name);
            if (a == null) throw new UserError("node '" + node.getName() + "' reads undefined value '" + name + "'");
            args.add(a);
        }
        NDList results;
        // The scope closes every temporary an op creates, whichever manager it landed in.
        try (NDScope scope = new NDScope()) {
            results = ops.get(index).run(new OpContext(node, opset, runManager, args, constants, this::derived, compute));
            NDScope.unregister(results);
        }
        for (int k = 0; k < node.getOutputCount() && k < results.size(); k++) {
            NDArray r = results.get(k);
            // A value object is owned by one name: an op handing back an input gets its own handle.
            if (isArgument(r, args) || residentSet.contains(r)) r = r.duplicate();
            r.attach(runManager);
            String name = node.getOutput(k);
            if (name.isEmpty() || lastUse.getOrDefault(name, -1) <= index) r.close();
            else values.put(name, r);
        }
        for (int k = node.getOutputCount(); k < results.size(); k++) results.get(k).close();
        for (String name : node.getInputList()) {
            if (lastUse.getOrDefault(name, -1) == index && values.containsKey(name)) values.remove(name).close();
        }
    }

    /** By identity: NDArray.equals compares contents on the device. */
    private static boolean isArgument(NDArray r, List<NDArray> args) {
        for (NDArray a : args) if (a == r) return true;
        return false;
    }

    /** Device copies of small op-derived constants, keyed by content, kept with the weights. */
    private NDArray derived(HostTensor value) {
        String key = value.dtype() + Arrays.toString(value.shape()) + Base64.getEncoder().encodeToString(value.toByteArray());
        return derived.computeIfAbsent(key, k -> {
            NDArray a = Tensors.toNd(root, value);
            NDScope.unregister(a); // outlives the node's scope
            return a;
        });
    }

    /** fp16 runs: fp32 inputs are cast once at the boundary. */
    private NDArray castIn(NDArray a) {
        if (compute == DataType.FLOAT32 || a.getDataType() != DataType.FLOAT32) return a;
        NDArray cast = a.toType(compute, false);
        a.close();
        return cast;
    }

    /** Outputs leave in their declared dtype, whatever the compute dtype was. */
    private static NDArray castOut(NDArray a, DType declared) {
        DataType want = Tensors.dataType(declared).orElse(a.getDataType());
        return a.getDataType() == want || !a.getDataType().isFloating() ? a : a.toType(want, false);
    }

    private void validate(Map<String, HostTensor> feed) {
        for (ValueSpec s : inputs) {
            HostTensor t = feed.get(s.name());
            if (t == null) throw new UserError("missing input '" + s.name() + "'; the graph needs " + inputNames());
            if (t.dtype() != s.dtype()) {
                throw new UserError("input '" + s.name() + "' has dtype " + t.dtype() + ", expected " + s.dtype());
            }
            if (s.shape() == null) continue;
            long[] shape = t.shape();
            boolean ok = shape.length == s.shape().length;
            for (int i = 0; ok && i < shape.length; i++) ok = s.shape()[i] < 0 || s.shape()[i] == shape[i];
            if (!ok) {
                throw new UserError("input '" + s.name() + "' has shape " + Arrays.toString(shape) + ", expected "
                        + Arrays.toString(s.shape()));
            }
        }
        for (String name : feed.keySet()) {
            if (inputs.stream().noneMatch(s -> s.name().equals(name))) {
                throw new UserError("unknown input '" + name + "'; the graph's inputs are " + inputNames());
            }
        }
    }

    /** Arrays alive on the device beyond the resident weights and constants: zero between runs. */
    int strayArrays() {
        return root.getManagedArrays().size() - (resident.size() - shared.arrays().size()) - derived.size();
    }

    @Override
    public void close() {
        root.close();
        shared.close();
    }
}
