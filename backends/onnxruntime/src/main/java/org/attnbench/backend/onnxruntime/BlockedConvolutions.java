package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.OperatorSetIdProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.HostTensor;

/**
 * Convolutions over input weights in ONNX Runtime's blocked (NCHWc) layout. Given a filter as a
 * constant, ORT reorders it at load into blocks of channels and runs its NCHWc kernel, which needs
 * no im2col buffer; given the filter as an input (weights shared between sessions) it cannot, and
 * falls back to im2col and GEMM, whose buffer alone is 750 MB for one 320-channel convolution at
 * 2048 px. Here each filter is reordered once per process and shared like the other weights, and its
 * Conv becomes ReorderInput, NCHWc Conv, ReorderOutput: the nodes ORT's own NCHWc pass writes, whose
 * later passes then drop the reorders that cancel.
 */
final class BlockedConvolutions {
    static final String DOMAIN = "com.microsoft.nchwc";
    /** The input name of a filter's blocked copy. */
    static final String SUFFIX = "/nchwc";

    private static int blockSize = -1;

    private BlockedConvolutions() {}

    /**
     * ORT's NCHWc block (channels per block: 16 with AVX-512, 8 with AVX2), or 1 where its CPU has
     * no NCHWc kernels. Read from ORT itself: ReorderInput pads 4 channels up to one block.
     */
    static synchronized int blockSize() {
        if (blockSize < 0) blockSize = probeBlockSize();
        return blockSize;
    }

    /**
     * {@code model} (weights declared as inputs) with every Conv whose filter is a float32 weight of
     * whole channel blocks, ungrouped and 2-D, rewritten to read that filter's blocked copy.
     * Returns the model and the names of the filters rewritten.
     */
    static Rewrite apply(ModelProto model, Set<String> weights, int block) {
        GraphProto source = model.getGraph();
        Map<String, List<Long>> shapes = floatInputShapes(source);
        GraphProto.Builder graph = source.toBuilder().clearNode();
        Set<String> blocked = new LinkedHashSet<>();
        for (NodeProto node : source.getNodeList()) {
            if (!blockable(node, weights, shapes, block)) {
                graph.addNode(node);
                continue;
            }
            String filter = node.getInput(1);
            blocked.add(filter);
            String in = node.getOutput(0) + "/nchwc_in";
            String out = node.getOutput(0) + SUFFIX;
            graph.addNode(NodeProto.newBuilder().setName(node.getName() + "/ReorderInput").setOpType("ReorderInput")
                    .setDomain(DOMAIN).addInput(node.getInput(0)).addOutput(in));
            NodeProto.Builder conv = node.toBuilder().setDomain(DOMAIN).setInput(0, in).setInput(1, filter + SUFFIX)
                    .setOutput(0, out);
            graph.addNode(conv);
            graph.addNode(NodeProto.newBuilder().setName(node.getName() + "/ReorderOutput").setOpType("ReorderOutput")
                    .setDomain(DOMAIN).addInput(out).addOutput(node.getOutput(0))
                    .addAttribute(AttributeProto.newBuilder().setName("channels").setType(AttributeProto.AttributeType.INT)
                            .setI(shapes.get(filter).get(0))));
        }
        if (blocked.isEmpty()) return new Rewrite(model, blocked);
        graph.clearInput();
        for (ValueInfoProto input : source.getInputList()) {
            graph.addInput(blocked.contains(input.getName()) ? input.toBuilder().setName(input.getName() + SUFFIX).build() : input);
        }
        ModelProto.Builder out = model.toBuilder().setGraph(graph);
        out.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(DOMAIN).setVersion(1));
        return new Rewrite(out.build(), blocked);
    }

    /** The rewritten model, and the filters it reads blocked (under their name plus {@link #SUFFIX}). */
    record Rewrite(ModelProto model, Set<String> blockedFilters) {}

    private static boolean blockable(NodeProto node, Set<String> weights, Map<String, List<Long>> shapes, int block) {
        if (!node.getOpType().equals("Conv") || !node.getDomain().isEmpty() || node.getInputCount() < 2) return false;
        List<Long> w = shapes.get(node.getInput(1));
        if (!weights.contains(node.getInput(1)) || w == null || w.size() != 4) return false;
        long group = node.getAttributeList().stream().filter(a -> a.getName().equals("group"))
                .findFirst().map(AttributeProto::getI).orElse(1L);
        return group == 1 && w.get(0) % block == 0 && w.get(1) % block == 0;
    }

    /**
     * A filter [O, I, kh, kw] in ORT's OIHWBiBo order: blocks of output channels, then blocks of
     * input channels, then kernel positions, each a block-by-block tile indexed [input][output].
     */
    static float[] reorder(float[] filter, long[] shape, int block) {
        int outs = (int) shape[0], ins = (int) shape[1], kernel = (int) (shape[2] * shape[3]);
        float[] out = new float[filter.length];
        int at = 0;
        for (int ob = 0; ob < outs; ob += block) {
            for (int ib = 0; ib < ins; ib += block) {
                for (int k = 0; k < kernel; k++) {
                    for (int i = ib; i < ib + block; i++) {
                        for (int o = ob; o < ob + block; o++) out[at++] = filter[(o * ins + i) * kernel + k];
                    }
                }
            }
        }
        return out;
    }

    /** An ORT tensor of {@code filter}'s blocked copy, over a buffer of its own. */
    static OnnxTensor blockedTensor(OrtEnvironment env, HostTensor filter, int block) throws OrtException {
        float[] blocked = reorder(filter.toFloats(), filter.shape(), block);
        ByteBuffer bytes = ByteBuffer.allocateDirect(blocked.length * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer floats = bytes.asFloatBuffer();
        floats.put(blocked).flip();
        return OnnxTensor.createTensor(env, floats, filter.shape());
    }

    private static Map<String, List<Long>> floatInputShapes(GraphProto graph) {
        Map<String, List<Long>> out = new HashMap<>();
        for (ValueInfoProto v : graph.getInputList()) {
            TypeProto.Tensor type = v.getType().getTensorType();
            if (type.getElemType() != TensorProto.DataType.FLOAT.getNumber() || !type.hasShape()) continue;
            List<Long> dims = type.getShape().getDimList().stream().map(TensorShapeProto.Dimension::getDimValue).toList();
            out.put(v.getName(), dims);
        }
        return out;
    }

    private static int probeBlockSize() {
        TypeProto floats = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber())).build();
        GraphProto graph = GraphProto.newBuilder().setName("nchwc_probe")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(floats))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(floats))
                .addNode(NodeProto.newBuilder().setOpType("ReorderInput").setDomain(DOMAIN).addInput("x").addOutput("y"))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(DOMAIN).setVersion(1)).build();
        OrtEnvironment env = OrtBackend.environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toByteArray(), options);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[4]), new long[] {1, 4, 1, 1});
             OrtSession.Result y = session.run(Map.of("x", x))) {
            return (int) ((OnnxTensor) y.get(0)).getInfo().getShape()[1];
        } catch (OrtException | RuntimeException e) {
            return 1; // no NCHWc kernels here: convolutions stay as they are
        }
    }
}
