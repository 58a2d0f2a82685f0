package org.attnbench.graph;

import java.util.Arrays;
import org.attnbench.tensor.DType;

/** A named value of a graph under construction, with its static dtype and shape. */
public record Value(String name, DType dtype, long[] shape) {
    public Value {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    @Override
    public String toString() {
        return name + ":" + dtype + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && v.name.equals(name) && v.dtype == dtype && Arrays.equals(v.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
