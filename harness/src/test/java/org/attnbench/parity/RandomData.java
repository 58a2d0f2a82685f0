package org.attnbench.parity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.attnbench.tensor.HostTensor;

/** Random shapes, float data and valid int64 indices, all from one seeded {@link Random}. */
final class RandomData {
    private final Random r;

    RandomData(Random r) {
        this.r = r;
    }

    long[] shape(int rank) {
        long[] s = new long[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + r.nextInt(6);
        return s;
    }

    HostTensor floats(long[] shape, float scale) {
        float[] v = new float[(int) HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (r.nextFloat() * 2 - 1) * scale;
        return HostTensor.of(v, shape);
    }

    /** Indices in [-dim, dim), negative ones included. */
    HostTensor indices(long[] shape, long dim) {
        long[] v = new long[(int) HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt((int) (2 * dim)) - dim;
        return HostTensor.of(v, shape);
    }

    /** Indices of the given shape whose entries along {@code axis} are distinct positions of a dim-long axis. */
    HostTensor distinctIndices(long[] shape, int axis, long dim) {
        if (shape[axis] > dim) shape[axis] = dim;
        long[] v = new long[(int) HostTensor.numel(shape)];
        long inner = HostTensor.numel(Arrays.copyOfRange(shape, axis + 1, shape.length));
        long outer = HostTensor.numel(Arrays.copyOf(shape, axis));
        for (long o = 0; o < outer; o++) {
            for (long in = 0; in < inner; in++) {
                List<Long> perm = new ArrayList<>();
                for (long p = 0; p < dim; p++) perm.add(r.nextBoolean() ? p : p - dim); // same position, either sign
                java.util.Collections.shuffle(perm, r);
                for (int k = 0; k < shape[axis]; k++) v[(int) ((o * shape[axis] + k) * inner + in)] = perm.get(k);
            }
        }
        return HostTensor.of(v, shape);
    }

    long[] factorization(long numel, int rank) {
        long[] out = new long[rank];
        long rest = numel;
        for (int i = 0; i < rank - 1; i++) {
            List<Long> divisors = new ArrayList<>();
            for (long d = 1; d <= Math.min(rest, 8); d++) if (rest % d == 0) divisors.add(d);
            out[i] = divisors.get(r.nextInt(divisors.size()));
            rest /= out[i];
        }
        out[rank - 1] = rest;
        return out;
    }
}
