package org.attnbench.backend.djl;

import java.util.Optional;
import org.attnbench.graph.Attributes;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.tensor.HostTensor;

/** The value of an ONNX Constant node, from whichever attribute carries it. */
final class ConstantValue {
    private ConstantValue() {}

    static HostTensor of(NodeProto node) {
        Attributes a = new Attributes(node);
        if (a.has("value")) return a.getTensor("value").orElseThrow();
        if (a.has("value_float")) return HostTensor.of(new float[] {a.getFloat("value_float", 0f)});
        if (a.has("value_int")) return HostTensor.of(new long[] {a.getInt("value_int", 0)});
        float[] floats = a.getFloats("value_floats", null);
        if (floats != null) return HostTensor.of(floats, floats.length);
        long[] ints = a.getInts("value_ints", null);
        if (ints != null) return HostTensor.of(ints, ints.length);
        throw new IllegalStateException("Constant node '" + node.getName() + "' has no supported value attribute");
    }

    static Optional<String> check(Attributes a, int opset, NodeProto node) {
        if (a.has("value")) return Checks.dtype(a.find("value").orElseThrow().getT().getDataType(), "value");
        for (String name : new String[] {"value_float", "value_int", "value_floats", "value_ints"}) {
            if (a.has(name)) return Optional.empty();
        }
        return Optional.of("a value attribute other than value, value_float(s) or value_int(s)");
    }
}
