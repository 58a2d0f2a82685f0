package org.attnbench.workloads.features;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;

/**
 * A user-supplied ONNX image model as an extractor; this is how the standard FID Inception is
 * used. The model has one float32 input [B, 3, S, S] (NCHW, RGB) and the features are one of its
 * graph outputs, [B, D] or any [B, ...] (flattened per image, e.g. [B, 2048, 1, 1]).
 *
 * <p>Images are preprocessed by {@link Preprocessing}: antialiased bilinear resize to S x S, levels
 * mapped to the given value range (0,1 unless told; pytorch-fid's exported Inception takes 0,1
 * and normalizes inside, others want -1,1 or 0,255). S is the input's static size when the model
 * declares one, else 299, and a given size must agree with a declared one. A static batch axis
 * is used as the batch size; a symbolic one takes the batch chosen by the caller.
 */
final class OnnxExtractor {
    private static final int DEFAULT_SIZE = 299;

    private OnnxExtractor() {}

    static FeatureExtractor open(Path file, String output, Integer inputSize, double[] range, Backend backend, Device device,
                                 int batch) {
        OnnxModel model = OnnxModel.read(file);
        GraphProto graph = model.proto().getGraph();
        List<String> outputs = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
        if (!outputs.contains(output)) {
            throw new UserError(file + " has no output '" + output + "': its outputs are " + String.join(", ", outputs));
        }
        ValueInfoProto input = onlyInput(file, graph);
        long[] dims = dims(input);
        if (input.getType().getTensorType().getElemType() != DType.FLOAT32.onnxCode()) {
            throw new UserError(file + ": input '" + input.getName() + "' must be float32");
        }
        if (dims != null && (dims.length != 4 || (dims[1] >= 0 && dims[1] != 3))) {
            throw new UserError(file + ": input '" + input.getName() + "' must be an RGB image batch [B, 3, S, S], got "
                    + describe(dims));
        }
        int size = size(file, input.getName(), dims, inputSize);
        int runBatch = dims != null && dims[0] > 0 ? (int) dims[0] : batch;
        var executable = backend.compile(model, device, CompileOptions.DEFAULT);
        Preprocessing preprocessing = new Preprocessing(size, range[0], range[1]);
        return new BatchedGraph(FeatureExtractors.ONNX, file.getFileName() + ", output " + output + ", " + preprocessing,
                executable, input.getName(), output, runBatch, preprocessing);
    }

    private static ValueInfoProto onlyInput(Path file, GraphProto graph) {
        Set<String> initializers = graph.getInitializerList().stream().map(t -> t.getName()).collect(Collectors.toSet());
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new UserError(file + " has " + inputs.size() + " inputs (" + String.join(", ",
                    inputs.stream().map(ValueInfoProto::getName).toList()) + "); an image model has one");
        }
        return inputs.get(0);
    }

    /** Declared dims, -1 where symbolic; null when no shape is declared. */
    private static long[] dims(ValueInfoProto v) {
        if (!v.getType().getTensorType().hasShape()) return null;
        return v.getType().getTensorType().getShape().getDimList().stream()
                .mapToLong(TensorShapeProto.Dimension::getDimValue).map(d -> d > 0 ? d : -1).toArray();
    }

    private static int size(Path file, String input, long[] dims, Integer given) {
        long h = dims == null ? -1 : dims[2];
        long w = dims == null ? -1 : dims[3];
        if (h > 0 && w > 0 && h != w) throw new UserError(file + ": input '" + input + "' is not square: " + describe(dims));
        long declared = Math.max(h, w);
        if (given != null && declared > 0 && given != declared) {
            throw new UserError(file + ": input '" + input + "' is " + describe(dims) + "; --input-size " + given
                    + " does not match (leave it out or give " + declared + ")");
        }
        if (given != null) return given;
        return declared > 0 ? (int) declared : DEFAULT_SIZE;
    }

    private static String describe(long[] dims) {
        return Arrays.stream(dims).mapToObj(d -> d < 0 ? "?" : Long.toString(d))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
