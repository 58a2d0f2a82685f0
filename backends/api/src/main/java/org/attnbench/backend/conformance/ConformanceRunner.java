package org.attnbench.backend.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxFiles;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.TensorProtos;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Runs ONNX backend test cases on a backend and compares outputs the way the ONNX backend
 * tests do: |actual - expected| <= atol + rtol * |expected| element-wise, NaN matching NaN.
 */
public final class ConformanceRunner {
    public static final double RTOL = 1e-3;
    public static final double ATOL = 1e-7;

    private final Backend backend;
    private final Device device;

    public ConformanceRunner(Backend backend, Device device) {
        this.backend = backend;
        this.device = device;
    }

    /**
     * Cases whose expected data disagree with the ONNX specification as runtimes now implement it.
     * They are reported as skipped with the reason, for every backend.
     */
    static final Map<String, String> KNOWN_DATA_ISSUES = Map.of(
            "test_cast_FLOAT_to_BFLOAT16",
            "test data: ONNX 1.12 expected values truncate float to bfloat16; ONNX now rounds to nearest even",
            "test_resize_downsample_scales_linear_align_corners",
            "test data: ONNX 1.12 aligns corners with input_size * scale, runtimes use the rounded output size",
            "test_resize_downsample_scales_cubic_align_corners",
            "test data: ONNX 1.12 aligns corners with input_size * scale, runtimes use the rounded output size");

    public ConformanceResult run(ConformanceCase c) {
        if (KNOWN_DATA_ISSUES.containsKey(c.name())) {
            return new ConformanceResult(c.name(), ConformanceResult.Status.SKIP, KNOWN_DATA_ISSUES.get(c.name()));
        }
        OnnxModel model;
        try {
            model = OnnxModel.read(c.model());
        } catch (UserError e) {
            return new ConformanceResult(c.name(), ConformanceResult.Status.SKIP, "unreadable model: " + e.getMessage());
        }
        Optional<String> why = backend.unsupported(model);
        if (why.isPresent()) return new ConformanceResult(c.name(), ConformanceResult.Status.SKIP, why.get());
        Optional<String> typeIssue = unsupportedIo(model.proto());
        if (typeIssue.isPresent()) return new ConformanceResult(c.name(), ConformanceResult.Status.SKIP, typeIssue.get());
        try (Executable exe = backend.compile(model, device, CompileOptions.DEFAULT)) {
            for (Path set : c.dataSets()) {
                Map<String, HostTensor> inputs = readTensors(set, "input_", model.proto().getGraph().getInputList(), exe.inputNames());
                Map<String, HostTensor> expected = readTensors(set, "output_", model.proto().getGraph().getOutputList(), exe.outputNames());
                Optional<String> dataIssue = inconsistentData(model.proto().getGraph().getInputList(), inputs);
                if (dataIssue.isPresent()) {
                    return new ConformanceResult(c.name(), ConformanceResult.Status.SKIP, dataIssue.get());
                }
                Map<String, HostTensor> actual = exe.run(inputs);
                for (Map.Entry<String, HostTensor> e : expected.entrySet()) {
                    String mismatch = compare(e.getKey(), e.getValue(), actual.get(e.getKey()));
                    if (mismatch != null) {
                        return new ConformanceResult(c.name(), ConformanceResult.Status.FAIL, set.getFileName() + ": " + mismatch);
                    }
                }
            }
            return new ConformanceResult(c.name(), ConformanceResult.Status.PASS, "");
        } catch (RuntimeException e) {
            return new ConformanceResult(c.name(), ConformanceResult.Status.FAIL, "error: " + e.getMessage());
        }
    }

    public List<ConformanceResult> runAll(List<ConformanceCase> cases) {
        List<ConformanceResult> out = new ArrayList<>();
        for (ConformanceCase c : cases) out.add(run(c));
        return out;
    }

    /** Test data whose input shape contradicts the shape the model declares cannot be fed honestly. */
    private static Optional<String> inconsistentData(List<ValueInfoProto> declared, Map<String, HostTensor> inputs) {
        for (ValueInfoProto v : declared) {
            HostTensor t = inputs.get(v.getName());
            if (t == null || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) continue;
            var dims = v.getType().getTensorType().getShape().getDimList();
            if (dims.stream().anyMatch(d -> !d.hasDimValue())) continue;
            long[] want = dims.stream().mapToLong(d -> d.getDimValue()).toArray();
            if (!java.util.Arrays.equals(want, t.shape())) {
                return Optional.of("test data: input '" + v.getName() + "' is declared " + java.util.Arrays.toString(want)
                        + " but the data set has " + java.util.Arrays.toString(t.shape()));
            }
        }
        return Optional.empty();
    }

    /** Graph inputs and outputs must be plain tensors of a supported dtype. */
    private static Optional<String> unsupportedIo(ModelProto model) {
        List<ValueInfoProto> io = new ArrayList<>(model.getGraph().getInputList());
        io.addAll(model.getGraph().getOutputList());
        for (ValueInfoProto v : io) {
            if (!v.getType().hasTensorType()) return Optional.of("non-tensor input or output '" + v.getName() + "'");
            int code = v.getType().getTensorType().getElemType();
            if (DType.fromOnnx(code).isEmpty()) return Optional.of("dtype " + code + " of '" + v.getName() + "'");
        }
        return Optional.empty();
    }

    private static Map<String, HostTensor> readTensors(Path set, String prefix, List<ValueInfoProto> declared,
                                                       List<String> names) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        // Graph inputs that are initializers are not fed; the .pb files follow the remaining order.
        List<String> ordered = declared.stream().map(ValueInfoProto::getName).filter(names::contains).toList();
        for (int i = 0; ; i++) {
            Path pb = set.resolve(prefix + i + ".pb");
            if (!Files.exists(pb)) break;
            TensorProto t = OnnxFiles.readTensor(pb);
            String name = t.getName().isEmpty() || !names.contains(t.getName()) ? ordered.get(i) : t.getName();
            out.put(name, asDeclared(TensorProtos.toHost(t, set), declared, name));
        }
        return out;
    }

    /** Older ONNX test data stores bfloat16 values as uint16 tensors; the bits are the same. */
    private static HostTensor asDeclared(HostTensor t, List<ValueInfoProto> declared, String name) {
        boolean declaredBf16 = declared.stream().anyMatch(v -> v.getName().equals(name)
                && v.getType().getTensorType().getElemType() == DType.BFLOAT16.onnxCode());
        return declaredBf16 && t.dtype() == DType.UINT16 ? new HostTensor(DType.BFLOAT16, t.shape(), t.data()) : t;
    }

    /** Null when close enough; otherwise a description with the largest error. */
    static String compare(String name, HostTensor expected, HostTensor actual) {
        if (actual == null) return "missing output " + name;
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return name + " shape " + java.util.Arrays.toString(actual.shape()) + ", expected "
                    + java.util.Arrays.toString(expected.shape());
        }
        if (expected.dtype() != actual.dtype()) return name + " dtype " + actual.dtype() + ", expected " + expected.dtype();
        double[] e = expected.toDoubles();
        double[] a = actual.toDoubles();
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            if (e[i] == a[i]) continue; // also equal infinities
            double err = Math.abs(a[i] - e[i]);
            if (!(err <= ATOL + RTOL * Math.abs(e[i])) && (worstAt < 0 || err > worst || Double.isNaN(err))) {
                worst = err;
                worstAt = i;
            }
        }
        if (worstAt < 0) return null;
        return name + " differs: largest error " + worst + " at index " + worstAt + " (got " + a[worstAt]
                + ", expected " + e[worstAt] + ")";
    }

    /** "N passed, N failed, N skipped". */
    public static String summary(List<ConformanceResult> results) {
        long pass = results.stream().filter(r -> r.status() == ConformanceResult.Status.PASS).count();
        long fail = results.stream().filter(r -> r.status() == ConformanceResult.Status.FAIL).count();
        long skip = results.stream().filter(r -> r.status() == ConformanceResult.Status.SKIP).count();
        return pass + " passed, " + fail + " failed, " + skip + " skipped";
    }
}
