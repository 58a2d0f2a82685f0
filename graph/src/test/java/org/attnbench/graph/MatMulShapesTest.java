package org.attnbench.graph;

import static org.attnbench.graph.ShapeAssert.assertFails;
import static org.attnbench.graph.ShapeAssert.assertShape;
import static org.attnbench.graph.ShapeAssert.assertType;
import static org.attnbench.tensor.DType.FLOAT16;
import static org.attnbench.tensor.DType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatMulShapesTest {
    private final GraphBuilder g = new GraphBuilder("t");

    @Test
    void matMulBroadcastsBatchAxesAndHandlesVectors() {
        assertShape(g.matMul(g.input("a", FLOAT32, 2, 1, 4, 5), g.input("b", FLOAT32, 3, 5, 6)), 2, 3, 4, 6);
        Value v = g.input("v", FLOAT32, 5);
        assertShape(g.matMul(v, g.input("m", FLOAT32, 5, 6)), 6);
        assertShape(g.matMul(g.input("n", FLOAT32, 2, 4, 5), v), 2, 4);
        assertShape(g.matMul(v, v), new long[0]);
        assertFails("inner dimensions differ: 5 vs 4", () -> g.matMul(v, g.input("k", FLOAT32, 4, 2)));
        assertFails("dtypes differ", () -> g.matMul(v, g.input("h", FLOAT16, 5)));
    }

    @Test
    void gemmTransposesAndBroadcastsC() {
        Value a = g.input("a", FLOAT32, 5, 3);
        Value b = g.input("b", FLOAT32, 4, 5);
        Map<String, Object> t = Map.of("transA", 1L, "transB", 1L);
        assertShape(g.op("Gemm", t, a, b), 3, 4);
        assertShape(g.op("Gemm", t, a, b, g.input("c", FLOAT32, 4)), 3, 4);
        assertShape(g.op("Gemm", g.input("a2", FLOAT32, 3, 5), g.input("b2", FLOAT32, 5, 4), g.input("c2", FLOAT32, 3, 1)), 3, 4);
        assertFails("C of shape [3] does not broadcast to [3, 4]", () -> g.op("Gemm", t, a, b, g.input("c3", FLOAT32, 3)));
        assertFails("inner dimensions differ", () -> g.op("Gemm", a, b));
    }

    @Test
    void multiHeadAttentionKeepsQueryLengthAndValueWidth() {
        Value q = g.input("q", FLOAT16, 2, 64, 320);
        Value k = g.input("k", FLOAT16, 2, 77, 320);
        Value v = g.input("v", FLOAT16, 2, 77, 640);
        Value out = g.op(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", List.of(q, k, v), Map.of("num_heads", 8L), 1).get(0);
        assertType(out, FLOAT16, 2, 64, 640);
        g.output("out", out);
        assertTrue(g.build().proto().getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals(GraphBuilder.MS_DOMAIN)));
        assertFails("must divide into 6 heads",
                () -> g.op(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", List.of(q, k, v), Map.of("num_heads", 6L), 1));
        assertFails("do not fit [B,S,D], [B,L,D], [B,L,Dv]",
                () -> g.op(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", List.of(q, k, q), Map.of("num_heads", 8L), 1));
        assertFails("needs the 'num_heads' attribute",
                () -> g.op(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", List.of(q, k, v), Map.of(), 1));
    }
}
