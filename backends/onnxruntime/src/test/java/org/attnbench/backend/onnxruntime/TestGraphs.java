package org.attnbench.backend.onnxruntime;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Small graphs the tests run. */
final class TestGraphs {
    static final float[] W = {1, 2, 3, 4, 5, 6};
    static final float[] B = {0.5f, -1};

    private TestGraphs() {}

    /** y = Identity(x) for one dtype and shape. */
    static OnnxModel identity(DType dtype, long... shape) {
        GraphBuilder g = new GraphBuilder("identity");
        Value x = g.input("x", dtype, shape);
        g.output("y", g.op("Identity", x));
        return g.build();
    }

    /** y = x @ W + b with x [2, 3], W [3, 2], b [2]. */
    static OnnxModel affine() {
        GraphBuilder g = new GraphBuilder("affine");
        Value x = g.input("x", DType.FLOAT32, 2, 3);
        Value w = g.initializer("W", HostTensor.of(W, 3, 2));
        Value b = g.initializer("b", HostTensor.of(B, 2));
        g.output("y", g.add(g.matMul(x, w), b));
        return g.build();
    }

    /** What {@link #affine()} computes, by hand. */
    static float[] affine(float[] x) {
        float[] y = new float[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                float s = B[j];
                for (int k = 0; k < 3; k++) s += x[i * 3 + k] * W[k * 2 + j];
                y[i * 2 + j] = s;
            }
        }
        return y;
    }
}
