package org.attnbench.backend.onnxruntime;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.attnbench.core.UserError;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A graph input as the graph declares it. Checking a tensor against it before running turns
 * what would be a native error deep inside a kernel into a message naming the input.
 *
 * @param dims declared dimensions, -1 where the graph names a symbolic dimension or gives none;
 *     null when the graph declares no shape at all, so any rank is accepted
 */
record DeclaredInput(String name, DType dtype, long[] dims) {
    static final long ANY = -1;

    /** The inputs a caller feeds: graph inputs that are not also initializers, in graph order. */
    static List<DeclaredInput> of(GraphProto graph) {
        Set<String> initializers = graph.getInitializerList().stream().map(t -> t.getName()).collect(Collectors.toSet());
        return graph.getInputList().stream().filter(v -> !initializers.contains(v.getName()))
                .map(DeclaredInput::of).toList();
    }

    private static DeclaredInput of(ValueInfoProto v) {
        int code = v.getType().getTensorType().getElemType();
        DType dtype = OrtTensors.dtypeOf(code).orElseThrow(() ->
                new UserError("graph input '" + v.getName() + "' has element type " + code + ", which onnxruntime cannot take"));
        if (!v.getType().getTensorType().hasShape()) return new DeclaredInput(v.getName(), dtype, null);
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        long[] dims = shape.getDimList().stream()
                .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : ANY).toArray();
        return new DeclaredInput(v.getName(), dtype, dims);
    }

    void check(HostTensor t) {
        if (t.dtype() != dtype) {
            throw new UserError("input '" + name + "' must be " + dtype + ", got " + t.dtype());
        }
        if (dims == null) return;
        long[] actual = t.shape();
        boolean fits = actual.length == dims.length;
        for (int i = 0; fits && i < dims.length; i++) fits = dims[i] == ANY || dims[i] == actual[i];
        if (!fits) {
            throw new UserError("input '" + name + "' must have shape " + describe(dims) + ", got " + Arrays.toString(actual));
        }
    }

    private static String describe(long[] dims) {
        return Arrays.stream(dims).mapToObj(d -> d == ANY ? "?" : Long.toString(d))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
