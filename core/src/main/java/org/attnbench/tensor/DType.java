package org.attnbench.tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Element types, with their ONNX TensorProto code and their safetensors name. */
public enum DType {
    FLOAT32(1, "F32", 4),
    UINT8(2, "U8", 1),
    INT8(3, "I8", 1),
    UINT16(4, "U16", 2),
    INT16(5, "I16", 2),
    INT32(6, "I32", 4),
    INT64(7, "I64", 8),
    BOOL(9, "BOOL", 1),
    FLOAT16(10, "F16", 2),
    FLOAT64(11, "F64", 8),
    UINT32(12, "U32", 4),
    UINT64(13, "U64", 8),
    BFLOAT16(16, "BF16", 2);

    private final int onnxCode;
    private final String safetensorsName;
    private final int byteSize;

    DType(int onnxCode, String safetensorsName, int byteSize) {
        this.onnxCode = onnxCode;
        this.safetensorsName = safetensorsName;
        this.byteSize = byteSize;
    }

    public int onnxCode() { return onnxCode; }

    public String safetensorsName() { return safetensorsName; }

    public int byteSize() { return byteSize; }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT16 || this == FLOAT64 || this == BFLOAT16;
    }

    public static Optional<DType> fromOnnx(int code) {
        return Arrays.stream(values()).filter(d -> d.onnxCode == code).findFirst();
    }

    public static Optional<DType> fromSafetensors(String name) {
        return Arrays.stream(values()).filter(d -> d.safetensorsName.equals(name)).findFirst();
    }

    /** Parses user spellings: fp32, float32, f32, fp16, bf16, ... */
    public static DType parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "fp32", "float32", "float", "f32" -> FLOAT32;
            case "fp16", "float16", "half", "f16" -> FLOAT16;
            case "bf16", "bfloat16" -> BFLOAT16;
            case "fp64", "float64", "double", "f64" -> FLOAT64;
            case "int64", "i64" -> INT64;
            case "int32", "i32" -> INT32;
            default -> throw new IllegalArgumentException(
                    "unknown dtype '" + text + "': use fp32, fp16, bf16, fp64, int32 or int64");
        };
    }
}
