package org.attnbench.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.tensor.DType;
import org.junit.jupiter.api.Test;

class OpSetTest {
    @Test
    void listsTheSubset() {
        assertTrue(OpSet.supported().containsAll(java.util.List.of("MatMul", "Conv", "Resize", "TopK", "ScatterElements",
                "com.microsoft::MultiHeadAttention")));
        assertTrue(OpShapes.supports("ai.onnx", "Softmax"));
        assertTrue(!OpShapes.supports("", "NonZero"));
    }

    @Test
    void namesTheFirstUnsupportedOp() {
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", DType.FLOAT32, 2, 3);
        g.output("y", g.softmax(x, -1));
        ModelProto built = g.build().proto();
        assertEquals(Optional.empty(), OpSet.firstUnsupported(built));

        ModelProto foreign = built.toBuilder().setGraph(built.getGraph().toBuilder()
                .addNode(NodeProto.newBuilder().setOpType("NonZero").addInput("y").addOutput("nz"))
                .addNode(NodeProto.newBuilder().setOpType("Unique").addInput("y").addOutput("u"))).build();
        assertEquals(Optional.of("op NonZero is outside the supported subset"), OpSet.firstUnsupported(foreign));

        ModelProto contrib = built.toBuilder().setGraph(built.getGraph().toBuilder()
                .addNode(NodeProto.newBuilder().setDomain("com.microsoft").setOpType("FusedGemm"))).build();
        assertEquals(Optional.of("op com.microsoft.FusedGemm is outside the supported subset"), OpSet.firstUnsupported(contrib));
    }

    @Test
    void misspeltAttributesFailAtBuildTime() {
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", DType.FLOAT32, 2, 3);
        ShapeAssert.assertFails("ReduceMean has no attribute 'keepdim' in opset 17 (it has: axes, keepdims)",
                () -> g.op("ReduceMean", java.util.Map.of("keepdim", 0L), x));
        ShapeAssert.assertFails("Add has no attribute 'axis' in opset 17 (it takes none)",
                () -> g.op("Add", java.util.Map.of("axis", 0L), x, x));
    }
}
