package org.attnbench.graph;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.attnbench.core.UserError;
import org.attnbench.graph.onnx.Onnx.StringStringEntryProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Conversions between ONNX TensorProto and {@link HostTensor}, for every storage field ONNX allows. */
public final class TensorProtos {
    private TensorProtos() {}

    public static TensorProto toProto(String name, HostTensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxCode());
        for (long d : t.shape()) b.addDims(d);
        return b.setRawData(ByteString.copyFrom(t.data())).build();
    }

    public static DType dtypeOf(TensorProto p) {
        return DType.fromOnnx(p.getDataType()).orElseThrow(() -> new UserError(
                "tensor '" + p.getName() + "' has ONNX data type " + p.getDataType() + ", which attnbench does not support"));
    }

    /** Decodes a tensor stored inline; external data is resolved against {@code baseDir}. */
    public static HostTensor toHost(TensorProto p, Path baseDir) {
        DType dtype = dtypeOf(p);
        long[] shape = p.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return readExternal(p, dtype, shape, baseDir);
        }
        if (p.hasRawData()) {
            return new HostTensor(dtype, shape, p.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
        }
        HostTensor t = HostTensor.allocate(dtype, shape);
        ByteBuffer out = t.mutableData();
        int n = Math.toIntExact(t.numel());
        switch (dtype) {
            case FLOAT32 -> { require(p, p.getFloatDataCount(), n); p.getFloatDataList().forEach(out::putFloat); }
            case FLOAT64 -> { require(p, p.getDoubleDataCount(), n); p.getDoubleDataList().forEach(out::putDouble); }
            case INT64 -> { require(p, p.getInt64DataCount(), n); p.getInt64DataList().forEach(out::putLong); }
            case UINT32, UINT64 -> { require(p, p.getUint64DataCount(), n);
                for (long v : p.getUint64DataList()) {
                    if (dtype == DType.UINT32) out.putInt((int) v); else out.putLong(v);
                } }
            // int32_data carries every narrower type, one element per entry (fp16/bf16 as raw bits).
            default -> { require(p, p.getInt32DataCount(), n);
                for (int v : p.getInt32DataList()) {
                    switch (dtype.byteSize()) {
                        case 1 -> out.put((byte) v);
                        case 2 -> out.putShort((short) v);
                        default -> out.putInt(v);
                    }
                } }
        }
        return t;
    }

    private static void require(TensorProto p, int have, int want) {
        if (have != want) {
            throw new UserError("tensor '" + p.getName() + "' stores " + have + " values but its shape needs " + want);
        }
    }

    private static HostTensor readExternal(TensorProto p, DType dtype, long[] shape, Path baseDir) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : p.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> { /* checksum and others are optional */ }
            }
        }
        if (location == null) throw new UserError("external tensor '" + p.getName() + "' has no location");
        long expected = HostTensor.numel(shape) * dtype.byteSize();
        if (length >= 0 && length != expected) {
            throw new UserError("external tensor '" + p.getName() + "' has length " + length + ", its shape needs " + expected);
        }
        Path file = baseDir.resolve(location);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + expected > ch.size()) {
                throw new UserError("external data file " + file + " is too short for tensor '" + p.getName() + "'");
            }
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, offset, expected);
            return new HostTensor(dtype, shape, map.order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new UserError("cannot read external data " + file + " for tensor '" + p.getName() + "': " + e.getMessage());
        }
    }

    /** A TensorProto that points into an external data file. */
    public static TensorProto external(String name, HostTensor t, String location, long offset) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxCode())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        for (long d : t.shape()) b.addDims(d);
        for (var kv : List.of(List.of("location", location), List.of("offset", Long.toString(offset)),
                List.of("length", Long.toString(t.byteSize())))) {
            b.addExternalData(StringStringEntryProto.newBuilder().setKey(kv.get(0)).setValue(kv.get(1)));
        }
        return b.build();
    }
}
