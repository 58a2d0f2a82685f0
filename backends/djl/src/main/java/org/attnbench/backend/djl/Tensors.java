package org.attnbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Conversions between {@link HostTensor} and NDArray, and between the two dtype enums. */
final class Tensors {
    private Tensors() {}

    /** The DJL type for an ONNX element type code, when libtorch (through DJL) handles it. */
    static Optional<DataType> fromOnnx(int code) {
        return DType.fromOnnx(code).flatMap(Tensors::dataType);
    }

    /**
     * Unsigned 16/32/64-bit and int16 have too little operator coverage in libtorch to promise
     * ONNX semantics; bfloat16 aborts the JVM when DJL 0.36's PyTorch engine converts to it.
     */
    static Optional<DataType> dataType(DType d) {
        return Optional.ofNullable(switch (d) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT64 -> DataType.FLOAT64;
            case FLOAT16 -> DataType.FLOAT16;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOLEAN;
            default -> null;
        });
    }

    static DType dtype(DataType d) {
        return switch (d) {
            case FLOAT32 -> DType.FLOAT32;
            case FLOAT64 -> DType.FLOAT64;
            case FLOAT16 -> DType.FLOAT16;
            case INT8 -> DType.INT8;
            case UINT8 -> DType.UINT8;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case BOOLEAN -> DType.BOOL;
            default -> throw new IllegalStateException("no host dtype for " + d);
        };
    }

    static NDArray toNd(NDManager manager, HostTensor t) {
        DataType type = dataType(t.dtype()).orElseThrow(
                () -> new IllegalArgumentException("dtype " + t.dtype() + " is not supported by the DJL backend"));
        ByteBuffer src = t.data();
        // On the CPU libtorch wraps a direct buffer in place (DJL keeps it reachable), so an
        // aligned little-endian direct buffer (a mapped weight file, an allocated input) is
        // used as it is: no op here writes into its inputs. Heap buffers need one copy.
        boolean usable = src.isDirect() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                && (src.capacity() == 0 || src.alignmentOffset(0, t.dtype().byteSize()) == 0);
        if (!usable) {
            ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
            direct.put(src).flip();
            src = direct;
        }
        return manager.create(src, new Shape(t.shape()), type);
    }

    static HostTensor toHost(NDArray a) {
        DType d = dtype(a.getDataType());
        HostTensor out = HostTensor.allocate(d, a.getShape().getShape());
        if (out.numel() > 0) out.mutableData().put(a.toByteBuffer());
        return out;
    }
}
