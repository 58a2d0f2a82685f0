package org.attnbench.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.OperatorSetIdProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks inference against the declared output types of ONNX's own test models (node tests,
 * PyTorch-converted and operator tests, simple models): every case whose ops are all supported
 * is rebuilt node by node through {@link GraphBuilder}, with the case's input data and
 * initializers as constants, and its inferred outputs must equal the declared ones.
 */
class OnnxConformanceShapesTest {
    private static final Path TEST_DATA = Path.of("/usr/share/libonnx-testdata/data");

    /** Opset where an op took its opset-17 form; older cases use other inputs or attributes. */
    private static final Map<String, Integer> FORM_SINCE = new HashMap<>();

    static {
        for (String op : List.of("Split", "Squeeze", "Unsqueeze", "ReduceSum")) FORM_SINCE.put(op, 13);
        for (String op : List.of("Clip", "Resize")) FORM_SINCE.put(op, 11);
        for (String op : List.of("Slice", "TopK")) FORM_SINCE.put(op, 10);
        // Before opset 7 binary ops and Gemm had a "broadcast" attribute with other rules.
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "Gemm")) FORM_SINCE.put(op, 7);
        FORM_SINCE.put("Reshape", 5);
        FORM_SINCE.put("Concat", 4);
    }

    @Test
    void inferredTypesMatchOnnxTestModels() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(TEST_DATA), "ONNX test data not installed");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> cases = Files.list(TEST_DATA).filter(Files::isDirectory).flatMap(OnnxConformanceShapesTest::list)) {
            for (Path dir : cases.sorted().toList()) {
                Optional<String> outcome = check(dir);
                if (outcome.isEmpty()) continue;
                checked++;
                if (!outcome.get().isEmpty()) failures.add(dir.getFileName() + ": " + outcome.get());
            }
        }
        System.out.println("ONNX test cases checked: " + checked + ", mismatches: " + failures.size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(checked > 300, "only " + checked + " cases checked");
    }

    private static Stream<Path> list(Path suite) {
        try (Stream<Path> cases = Files.list(suite)) {
            return cases.toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Empty when the case is skipped, "" when it matches, else what differs. */
    private static Optional<String> check(Path dir) {
        Path file = dir.resolve("model.onnx");
        if (!Files.exists(file)) return Optional.empty();
        ModelProto model = OnnxFiles.read(file);
        GraphProto graph = model.getGraph();
        long opset = opset(model);
        for (NodeProto node : graph.getNodeList()) {
            if (!OpShapes.supports(node.getDomain(), node.getOpType())) return Optional.empty();
            if (opset < FORM_SINCE.getOrDefault(node.getOpType(), 1)) return Optional.empty();
        }
        if (graph.getOutputList().stream().anyMatch(o -> declared(o).isEmpty())) return Optional.empty();
        GraphBuilder g = new GraphBuilder("case");
        Map<String, Value> values = new HashMap<>();
        for (var init : graph.getInitializerList()) {
            if (DType.fromOnnx(init.getDataType()).isEmpty()) return Optional.empty();
            values.put(init.getName(), g.initializer(init.getName(), TensorProtos.toHost(init, dir)));
        }
        int fed = 0;
        for (ValueInfoProto input : graph.getInputList()) {
            if (values.containsKey(input.getName())) continue;
            Optional<HostTensor> data = tensor(dir.resolve("test_data_set_0/input_" + fed++ + ".pb"));
            if (data.isEmpty()) return Optional.empty();
            values.put(input.getName(), g.initializer(input.getName(), data.get()));
        }
        for (NodeProto node : graph.getNodeList()) {
            Optional<Map<String, Object>> attrs = attributes(node, dir);
            if (attrs.isEmpty()) return Optional.empty();
            List<Value> inputs = node.getInputList().stream().map(n -> n.isEmpty() ? null : values.get(n)).toList();
            List<Value> outs;
            try {
                outs = g.op(node.getDomain(), node.getOpType(), inputs, attrs.get(), node.getOutputCount());
            } catch (RuntimeException e) {
                // Shapes computed inside the graph (Shape -> Gather -> Reshape) are not folded at build time.
                if (e.getMessage().contains("must be a constant known at build time")) return Optional.empty();
                return Optional.of("inference failed: " + e.getMessage());
            }
            for (int i = 0; i < outs.size(); i++) values.put(node.getOutput(i), outs.get(i));
        }
        StringBuilder diff = new StringBuilder();
        for (ValueInfoProto o : graph.getOutputList()) {
            Value got = values.get(o.getName());
            Value want = declared(o).get();
            if (got.dtype() != want.dtype() || !Arrays.equals(got.shape(), want.shape())) {
                diff.append(o.getName()).append(" inferred ").append(got).append(", declared ").append(want).append("; ");
            }
        }
        return Optional.of(diff.toString());
    }

    private static long opset(ModelProto model) {
        return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion).findFirst().orElse(1);
    }

    private static Optional<HostTensor> tensor(Path pb) {
        try {
            return Optional.of(TensorProtos.toHost(OnnxFiles.readTensor(pb), pb.getParent()));
        } catch (RuntimeException e) {
            return Optional.empty(); // strings and other types attnbench does not hold
        }
    }

    /** The declared type of a graph output, when its dtype is supported and every dimension is fixed. */
    private static Optional<Value> declared(ValueInfoProto o) {
        var t = o.getType().getTensorType();
        Optional<DType> dtype = DType.fromOnnx(t.getElemType());
        if (dtype.isEmpty() || !t.hasShape()) return Optional.empty();
        List<TensorShapeProto.Dimension> dims = t.getShape().getDimList();
        if (dims.stream().anyMatch(d -> !d.hasDimValue())) return Optional.empty();
        return Optional.of(new Value(o.getName(), dtype.get(),
                dims.stream().mapToLong(TensorShapeProto.Dimension::getDimValue).toArray()));
    }

    private static Optional<Map<String, Object>> attributes(NodeProto node, Path dir) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (AttributeProto a : node.getAttributeList()) {
            Object v = switch (a.getType()) {
                case INT -> a.getI();
                case FLOAT -> a.getF();
                case STRING -> a.getS().toStringUtf8();
                case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                case FLOATS -> new Attributes(node).getFloats(a.getName(), null);
                case TENSOR -> DType.fromOnnx(a.getT().getDataType()).isPresent() ? TensorProtos.toHost(a.getT(), dir) : null;
                default -> null;
            };
            if (v == null) return Optional.empty();
            out.put(a.getName(), v);
        }
        return Optional.of(out);
    }
}
