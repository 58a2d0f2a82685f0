package org.attnbench.workloads.text;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** The few float32 tensor operations the pipelines' prompt rules need, on host tensors [P, ..., D]. */
final class EmbeddingOps {
    private EmbeddingOps() {}

    /** a and b side by side on the last axis (torch.cat(dim=-1)); their other axes must agree. */
    static HostTensor concatFeatures(HostTensor a, HostTensor b) {
        long[] sa = a.shape();
        long[] sb = b.shape();
        int da = (int) sa[sa.length - 1];
        int db = (int) sb[sb.length - 1];
        long rows = a.numel() / da;
        check(rows == b.numel() / db && sa.length == sb.length, "cannot join", a, b);
        float[] x = a.toFloats();
        float[] y = b.toFloats();
        float[] out = new float[(int) (rows * (da + db))];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * da, out, r * (da + db), da);
            System.arraycopy(y, r * db, out, r * (da + db) + da, db);
        }
        long[] shape = sa.clone();
        shape[shape.length - 1] = da + db;
        return HostTensor.of(out, shape);
    }

    /** a with its last axis zero-padded (or cut, as torch's pad with a negative amount cuts) to {@code width}. */
    static HostTensor padFeatures(HostTensor a, int width) {
        long[] sa = a.shape();
        int d = (int) sa[sa.length - 1];
        long rows = a.numel() / d;
        float[] x = a.toFloats();
        float[] out = new float[(int) (rows * width)];
        for (int r = 0; r < rows; r++) System.arraycopy(x, r * d, out, r * width, Math.min(d, width));
        long[] shape = sa.clone();
        shape[shape.length - 1] = width;
        return HostTensor.of(out, shape);
    }

    /** [P, La, D] then [P, Lb, D] along the sequence (torch.cat(dim=-2)). */
    static HostTensor concatSequence(HostTensor a, HostTensor b) {
        long[] sa = a.shape();
        long[] sb = b.shape();
        check(sa.length == 3 && sb.length == 3 && sa[0] == sb[0] && sa[2] == sb[2], "cannot join along the sequence", a, b);
        int p = (int) sa[0];
        int blockA = (int) (sa[1] * sa[2]);
        int blockB = (int) (sb[1] * sb[2]);
        float[] x = a.toFloats();
        float[] y = b.toFloats();
        float[] out = new float[p * (blockA + blockB)];
        for (int i = 0; i < p; i++) {
            System.arraycopy(x, i * blockA, out, i * (blockA + blockB), blockA);
            System.arraycopy(y, i * blockB, out, i * (blockA + blockB) + blockA, blockB);
        }
        return HostTensor.of(out, sa[0], sa[1] + sb[1], sa[2]);
    }

    /** Tensors [1, ...] of one shape and dtype stacked into [N, ...] (torch.cat(dim=0)). */
    static HostTensor stackRows(List<HostTensor> rows) {
        HostTensor first = rows.get(0);
        if (rows.size() == 1) return first;
        long[] shape = first.shape();
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(first.byteSize() * rows.size()));
        for (HostTensor r : rows) {
            check(Arrays.equals(r.shape(), shape) && r.dtype() == first.dtype(), "cannot stack", first, r);
            out.put(r.data());
        }
        out.flip();
        shape[0] = rows.size();
        return new HostTensor(first.dtype(), shape, out);
    }

    /** Zeros of a's shape (torch.zeros_like). */
    static HostTensor zerosLike(HostTensor a) {
        return HostTensor.allocate(DType.FLOAT32, a.shape());
    }

    private static void check(boolean ok, String what, HostTensor a, HostTensor b) {
        if (!ok) throw new IllegalArgumentException(what + " " + a + " and " + b);
    }
}
