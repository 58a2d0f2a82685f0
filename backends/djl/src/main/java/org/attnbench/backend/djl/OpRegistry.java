package org.attnbench.backend.djl;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.attnbench.graph.Attributes;
import org.attnbench.graph.onnx.Onnx.NodeProto;

/**
 * The ONNX ops the DJL backend implements: default-domain ops by op type, others (ONNX
 * Runtime's com.microsoft contrib ops) as "domain::OpType".
 */
final class OpRegistry {
    private record Entry(Op op, OpCheck check) {}

    private static final Map<String, Entry> OPS = build();

    private final Map<String, Entry> entries = new HashMap<>();

    /** Every family's ops, gathered once. */
    private static Map<String, Entry> build() {
        OpRegistry ops = new OpRegistry();
        ElementwiseOps.addTo(ops);
        MatrixOps.addTo(ops);
        ShapeOps.addTo(ops);
        ReduceOps.addTo(ops);
        IndexOps.addTo(ops);
        ConvPoolOps.addTo(ops);
        NormOps.addTo(ops);
        ResizeOp.addTo(ops);
        EinsumOp.addTo(ops);
        MaskOps.addTo(ops);
        FusedAttentionOp.addTo(ops);
        NdIndexOps.addTo(ops);
        ConvTransposeOp.addTo(ops);
        return Map.copyOf(ops.entries);
    }

    private OpRegistry() {}

    void add(String opType, Op op) {
        add(opType, op, OpCheck.NONE);
    }

    void add(String opType, Op op, OpCheck check) {
        if (entries.put(opType, new Entry(op, check)) != null) throw new IllegalStateException("two ops for " + opType);
    }

    static Op op(NodeProto node) {
        return OPS.get(key(node)).op();
    }

    /** The registry key of a node: its op type, qualified by its domain outside the default one. */
    static String key(NodeProto node) {
        String domain = node.getDomain();
        return domain.isEmpty() || domain.equals("ai.onnx") ? node.getOpType() : domain + "::" + node.getOpType();
    }

    /** Why this node cannot run, naming the op and the attribute; empty when it can. */
    static Optional<String> check(NodeProto node, int opset) {
        String opType = key(node);
        Entry e = OPS.get(opType);
        if (e == null) return Optional.of("op " + opType);
        return e.check().check(new Attributes(node), opset, node).map(why -> "op " + opType + " with " + why);
    }
}
