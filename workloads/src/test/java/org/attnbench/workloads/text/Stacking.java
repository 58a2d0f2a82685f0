package org.attnbench.workloads.text;

import java.util.Arrays;
import org.attnbench.tensor.HostTensor;

/** How pipelines join encoder outputs, on host tensors (float64): side by side, padded, one sequence after another. */
final class Stacking {
    private Stacking() {}

    /** [..., A] and [..., B] to [..., A + B]. */
    static HostTensor concatLast(HostTensor a, HostTensor b) {
        long[] sa = a.shape();
        int wa = (int) sa[sa.length - 1];
        int wb = (int) b.shape()[sa.length - 1];
        double[] x = a.toDoubles();
        double[] y = b.toDoubles();
        int rows = x.length / wa;
        double[] out = new double[rows * (wa + wb)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * wa, out, r * (wa + wb), wa);
            System.arraycopy(y, r * wb, out, r * (wa + wb) + wa, wb);
        }
        long[] shape = sa.clone();
        shape[shape.length - 1] = wa + wb;
        return HostTensor.of(out, shape);
    }

    /** [..., A] zero-padded to [..., width]. */
    static HostTensor padLast(HostTensor a, long width) {
        long[] sa = a.shape();
        return concatLast(a, HostTensor.of(new double[(int) (a.numel() / sa[sa.length - 1] * (width - sa[sa.length - 1]))],
                withLast(sa, width - sa[sa.length - 1])));
    }

    /** [P, L1, D] and [P, L2, D] to [P, L1 + L2, D]. */
    static HostTensor concatRows(HostTensor a, HostTensor b) {
        long[] sa = a.shape();
        long[] sb = b.shape();
        int p = (int) sa[0];
        int ra = (int) (sa[1] * sa[2]);
        int rb = (int) (sb[1] * sb[2]);
        double[] x = a.toDoubles();
        double[] y = b.toDoubles();
        double[] out = new double[p * (ra + rb)];
        for (int i = 0; i < p; i++) {
            System.arraycopy(x, i * ra, out, i * (ra + rb), ra);
            System.arraycopy(y, i * rb, out, i * (ra + rb) + ra, rb);
        }
        return HostTensor.of(out, p, sa[1] + sb[1], sa[2]);
    }

    private static long[] withLast(long[] shape, long last) {
        long[] s = Arrays.copyOf(shape, shape.length);
        s[s.length - 1] = last;
        return s;
    }
}
