package org.attnbench.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense tensor in host memory: element type, shape and little-endian bytes, row-major.
 * It is the exchange format between files, graphs and backends; no arithmetic lives here.
 */
public final class HostTensor {
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;
    /** See {@link #identity()}; null for the tensor itself. */
    private final Object identity;

    public HostTensor(DType dtype, long[] shape, ByteBuffer data) {
        this(dtype, shape, data, null);
    }

    private HostTensor(DType dtype, long[] shape, ByteBuffer data, Object identity) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long expected = numel(shape) * dtype.byteSize();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of " + dtype + " " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.identity = identity;
    }

    public static HostTensor allocate(DType dtype, long... shape) {
        return new HostTensor(dtype, shape, ByteBuffer.allocateDirect(
                Math.toIntExact(numel(shape) * dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN));
    }

    public static HostTensor of(float[] values, long... shape) {
        HostTensor t = allocate(DType.FLOAT32, shape);
        t.data.asFloatBuffer().put(values);
        return t;
    }

    public static HostTensor of(double[] values, long... shape) {
        HostTensor t = allocate(DType.FLOAT64, shape);
        t.data.asDoubleBuffer().put(values);
        return t;
    }

    public static HostTensor of(long[] values, long... shape) {
        HostTensor t = allocate(DType.INT64, shape);
        t.data.asLongBuffer().put(values);
        return t;
    }

    public static HostTensor of(int[] values, long... shape) {
        HostTensor t = allocate(DType.INT32, shape);
        t.data.asIntBuffer().put(values);
        return t;
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public DType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long numel() { return numel(shape); }

    public long byteSize() { return numel() * dtype.byteSize(); }

    /** A read-only little-endian view of the bytes, positioned at 0. */
    public ByteBuffer data() { return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN); }

    /** A writable view; for code that fills a freshly allocated tensor. */
    public ByteBuffer mutableData() { return data.duplicate().order(ByteOrder.LITTLE_ENDIAN); }

    public byte[] toByteArray() {
        byte[] out = new byte[Math.toIntExact(byteSize())];
        data().get(out);
        return out;
    }

    /** Values widened to double, whatever the element type (fp16 and bf16 decoded). */
    public double[] toDoubles() {
        int n = Math.toIntExact(numel());
        double[] out = new double[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case FLOAT32 -> b.getFloat(i * 4);
                case FLOAT64 -> b.getDouble(i * 8);
                case FLOAT16 -> Half.toFloat(b.getShort(i * 2));
                case BFLOAT16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                case INT8 -> b.get(i);
                case UINT8 -> b.get(i) & 0xff;
                case BOOL -> b.get(i) != 0 ? 1 : 0;
                case INT16 -> b.getShort(i * 2);
                case UINT16 -> b.getShort(i * 2) & 0xffff;
                case INT32 -> b.getInt(i * 4);
                case UINT32 -> b.getInt(i * 4) & 0xffffffffL;
                case INT64 -> b.getLong(i * 8);
                case UINT64 -> unsignedToDouble(b.getLong(i * 8));
            };
        }
        return out;
    }

    private static double unsignedToDouble(long v) {
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }

    public float[] toFloats() {
        if (dtype == DType.FLOAT32) {
            float[] out = new float[Math.toIntExact(numel())];
            data().asFloatBuffer().get(out);
            return out;
        }
        double[] d = toDoubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    public long[] toLongs() {
        if (dtype == DType.INT64) {
            long[] out = new long[Math.toIntExact(numel())];
            data().asLongBuffer().get(out);
            return out;
        }
        double[] d = toDoubles();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (long) d[i];
        return out;
    }

    /**
     * What backends key their copies of this tensor by: the tensor object itself, unless it was
     * given a stable identity ({@link #withIdentity}), which a weight read again after it was let go
     * keeps, so that a backend's copy made from the first reading still serves the second.
     */
    public Object identity() {
        return identity == null ? this : identity;
    }

    /** The same bytes under {@code identity} (compared with equals: a record naming the weight). */
    public HostTensor withIdentity(Object identity) {
        return new HostTensor(dtype, shape, data, identity);
    }

    /** The same bytes under another shape with the same element count. */
    public HostTensor reshape(long... newShape) {
        return new HostTensor(dtype, newShape, data());
    }

    /** Converts floating-point tensors between fp32, fp16, bf16 and fp64. */
    public HostTensor toDType(DType target) {
        if (target == dtype) return this;
        if (!dtype.isFloatingPoint() || !target.isFloatingPoint()) {
            throw new IllegalArgumentException("cannot convert " + dtype + " to " + target);
        }
        double[] v = toDoubles();
        HostTensor out = allocate(target, shape);
        ByteBuffer b = out.mutableData();
        for (int i = 0; i < v.length; i++) {
            switch (target) {
                case FLOAT32 -> b.putFloat(i * 4, (float) v[i]);
                case FLOAT64 -> b.putDouble(i * 8, v[i]);
                case FLOAT16 -> b.putShort(i * 2, Half.fromFloat((float) v[i]));
                case BFLOAT16 -> b.putShort(i * 2, Half.toBfloat16((float) v[i]));
                default -> throw new AssertionError(target);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "HostTensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
