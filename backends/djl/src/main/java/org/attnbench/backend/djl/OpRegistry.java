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

    private static final Map<String, Entry> OPS = new HashMap<>();

    static {
        ElementwiseOps.register();
        MatrixOps.register();
        ShapeOps.register();
        ReduceOps.register();
        IndexOps.register();
        ConvPoolOps.register();
        NormOps.register();
        ResizeOp.register();
        EinsumOp.register();
        MaskOps.register();
        FusedAttentionOp.register();
        NdIndexOps.register();
        ConvTransposeOp.register();
    }

    private OpRegistry() {}

    static void add(String opType, Op op) {
        add(opType, op, OpCheck.NONE);
    }

    static void add(String opType, Op op, OpCheck check) {
        OPS.put(opType, new Entry(op, check));
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
