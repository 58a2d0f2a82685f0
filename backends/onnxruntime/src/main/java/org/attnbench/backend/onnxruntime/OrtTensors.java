package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.attnbench.core.UserError;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Copies between {@link HostTensor} and ONNX Runtime tensors, byte for byte. */
final class OrtTensors {
    /** The element types ONNX Runtime's Java API can exchange; it has no unsigned 16/32/64-bit types. */
    private static final Map<DType, OnnxJavaType> JAVA_TYPES = Map.of(
            DType.FLOAT32, OnnxJavaType.FLOAT,
            DType.FLOAT16, OnnxJavaType.FLOAT16,
            DType.BFLOAT16, OnnxJavaType.BFLOAT16,
            DType.FLOAT64, OnnxJavaType.DOUBLE,
            DType.INT8, OnnxJavaType.INT8,
            DType.UINT8, OnnxJavaType.UINT8,
            DType.INT16, OnnxJavaType.INT16,
            DType.INT32, OnnxJavaType.INT32,
            DType.INT64, OnnxJavaType.INT64,
            DType.BOOL, OnnxJavaType.BOOL);

    /** ORT numbers its element types its own way; map them back through the Java types. */
    private static final Map<TensorInfo.OnnxTensorType, DType> FROM_ORT = JAVA_TYPES.entrySet().stream()
            .collect(Collectors.toMap(e -> TensorInfo.OnnxTensorType.mapFromJavaType(e.getValue()), Map.Entry::getKey));

    private OrtTensors() {}

    static boolean supports(DType dtype) {
        return JAVA_TYPES.containsKey(dtype);
    }

    static OnnxTensor toOrt(OrtEnvironment env, HostTensor t) throws OrtException {
        OnnxJavaType type = JAVA_TYPES.get(t.dtype());
        if (type == null) throw new UserError("ONNX Runtime's Java API cannot pass " + t.dtype() + " tensors");
        ByteBuffer data = t.data();
        // ORT reads a direct buffer in place; a heap buffer it would copy anyway, so copy it once here.
        if (!data.isDirect()) {
            ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
            direct.put(data).flip();
            data = direct;
        }
        return OnnxTensor.createTensor(env, data, t.shape(), type);
    }

    static HostTensor toHost(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new UserError("output '" + name + "' is a " + value.getType() + ", not a tensor");
        }
        TensorInfo info = tensor.getInfo();
        DType dtype = Optional.ofNullable(FROM_ORT.get(info.onnxType)).orElseThrow(() ->
                new UserError("output '" + name + "' has element type " + info.onnxType + ", which attnbench does not read"));
        ByteBuffer bytes = tensor.getByteBuffer();
        return new HostTensor(dtype, info.getShape(), bytes.order(ByteOrder.LITTLE_ENDIAN));
    }

    static Optional<DType> dtypeOf(int onnxCode) {
        return DType.fromOnnx(onnxCode).filter(OrtTensors::supports);
    }
}
