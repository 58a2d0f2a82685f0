package org.attnbench.cli;

import java.nio.file.Path;
import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Files the CLI tests feed to commands: y = x @ W + b with x [2, 3]. */
final class CliFixtures {
    static final float[] X = {1, 0, -1, 2, 0.5f, 3};
    static final float[] W = {1, 2, 3, 4, 5, 6};
    static final float[] B = {0.5f, -1};
    /** X @ W + B, by hand. */
    static final float[] Y = {-3.5f, -5, 19, 23};

    private CliFixtures() {}

    static Path model(Path dir) {
        GraphBuilder g = new GraphBuilder("affine");
        Value x = g.input("x", DType.FLOAT32, 2, 3);
        Value w = g.initializer("W", HostTensor.of(W, 3, 2));
        Value b = g.initializer("b", HostTensor.of(B, 2));
        g.output("y", g.add(g.matMul(x, w), b));
        Path file = dir.resolve("affine.onnx");
        g.build().write(file);
        return file;
    }

    static Path inputs(Path dir, HostTensor x) {
        Path file = dir.resolve("in.safetensors");
        Safetensors.write(file, Map.of("x", x));
        return file;
    }

    static Path inputs(Path dir) {
        return inputs(dir, HostTensor.of(X, 2, 3));
    }
}
