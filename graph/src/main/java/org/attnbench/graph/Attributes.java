package org.attnbench.graph;

import java.nio.file.Path;
import java.util.Optional;
import org.attnbench.core.UserError;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.tensor.HostTensor;

/** Typed access to a node's attributes, with ONNX defaults supplied by the caller. */
public final class Attributes {
    private final NodeProto node;

    public Attributes(NodeProto node) {
        this.node = node;
    }

    public Optional<AttributeProto> find(String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }

    public boolean has(String name) {
        return find(name).isPresent();
    }

    public long getInt(String name, long fallback) {
        return find(name).map(AttributeProto::getI).orElse(fallback);
    }

    public long requireInt(String name) {
        return find(name).map(AttributeProto::getI).orElseThrow(() -> missing(name));
    }

    public float getFloat(String name, float fallback) {
        return find(name).map(AttributeProto::getF).orElse(fallback);
    }

    public String getString(String name, String fallback) {
        return find(name).map(a -> a.getS().toStringUtf8()).orElse(fallback);
    }

    /** The ints of a list attribute, or {@code fallback} (which may be null) when absent. */
    public long[] getInts(String name, long[] fallback) {
        return find(name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray()).orElse(fallback);
    }

    public float[] getFloats(String name, float[] fallback) {
        return find(name).map(a -> {
            float[] out = new float[a.getFloatsCount()];
            for (int i = 0; i < out.length; i++) out[i] = a.getFloats(i);
            return out;
        }).orElse(fallback);
    }

    public Optional<HostTensor> getTensor(String name) {
        return find(name).filter(AttributeProto::hasT).map(a -> TensorProtos.toHost(a.getT(), Path.of(".")));
    }

    private UserError missing(String name) {
        return new UserError("node '" + node.getName() + "' (" + node.getOpType() + ") lacks required attribute '" + name + "'");
    }
}
