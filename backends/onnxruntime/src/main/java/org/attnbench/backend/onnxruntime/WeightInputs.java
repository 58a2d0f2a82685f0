package org.attnbench.backend.onnxruntime;

import java.util.Set;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;

/**
 * A graph whose in-memory weights are declared as inputs rather than initializers. ONNX Runtime
 * copies every initializer it is given into each session and derives more copies from constant
 * ones (folded transposes, packed GEMM operands, blocked convolution filters); an input it reads in
 * place from the caller's buffer. Fed from one set of tensors, the weights are held once however
 * many sessions a model compiles.
 */
final class WeightInputs {
    private WeightInputs() {}

    static ModelProto declare(ModelProto model, Set<String> weights) {
        GraphProto.Builder graph = model.getGraph().toBuilder().clearInitializer();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (weights.contains(t.getName())) graph.addInput(input(t));
            else graph.addInitializer(t);
        }
        return model.toBuilder().setGraph(graph).build();
    }

    private static ValueInfoProto input(TensorProto t) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.getDimsList()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        TypeProto.Tensor.Builder type = TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(shape);
        return ValueInfoProto.newBuilder().setName(t.getName()).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }
}
