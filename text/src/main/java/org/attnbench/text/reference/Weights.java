package org.attnbench.text.reference;

import java.util.HashMap;
import java.util.Map;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;

/** A reference's weights by transformers name, widened to float64. */
final class Weights {
    private final WeightSource source;
    private final Map<String, double[][]> matrices = new HashMap<>();

    Weights(WeightSource source) {
        this.source = source;
    }

    double[] vector(String name) {
        return tensor(name).toDoubles();
    }

    /** A 2-D weight as [rows][columns], read once. */
    double[][] matrix(String name) {
        return matrices.computeIfAbsent(name, this::read);
    }

    private double[][] read(String name) {
        HostTensor t = tensor(name);
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        double[] v = t.toDoubles();
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(v, r * cols, m[r], 0, cols);
        return m;
    }

    private HostTensor tensor(String name) {
        return source.tensor(name).orElseThrow(() -> new IllegalArgumentException("no weight " + name));
    }
}
