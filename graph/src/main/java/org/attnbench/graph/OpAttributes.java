package org.attnbench.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attribute names each supported op accepts in opset 17, so a misspelt key ("keepdim")
 * fails at build time instead of silently taking the ONNX default.
 */
final class OpAttributes {
    private static final Map<String, Set<String>> NAMES = new HashMap<>();

    static {
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater", "Not", "Min", "Max",
                "Sqrt", "Exp", "Erf", "Sigmoid", "Tanh", "Sin", "Cos", "Neg", "Abs", "Relu", "Reciprocal", "Log",
                "Floor", "Ceil", "Identity", "Clip", "Where", "MatMul", "Slice", "Expand", "Squeeze", "Unsqueeze",
                "Range")) {
            NAMES.put(op, Set.of());
        }
        for (String op : List.of("Softmax", "Concat", "Split", "Gather", "GatherElements", "Flatten")) NAMES.put(op, Set.of("axis"));
        NAMES.put("Cast", Set.of("to"));
        NAMES.put("Gemm", Set.of("alpha", "beta", "transA", "transB"));
        NAMES.put("Reshape", Set.of("allowzero"));
        NAMES.put("Transpose", Set.of("perm"));
        NAMES.put("ScatterElements", Set.of("axis", "reduction"));
        NAMES.put("TopK", Set.of("axis", "largest", "sorted"));
        NAMES.put("ArgMax", Set.of("axis", "keepdims", "select_last_index"));
        NAMES.put("ReduceMax", Set.of("axes", "keepdims"));
        NAMES.put("ReduceMean", Set.of("axes", "keepdims"));
        NAMES.put("ReduceSum", Set.of("keepdims", "noop_with_empty_axes"));
        NAMES.put("Conv", Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"));
        NAMES.put("AveragePool", Set.of("auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"));
        NAMES.put("MaxPool", Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"));
        NAMES.put("LayerNormalization", Set.of("axis", "epsilon", "stash_type"));
        NAMES.put("InstanceNormalization", Set.of("epsilon"));
        NAMES.put("Resize", Set.of("coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside",
                "extrapolation_value", "mode", "nearest_mode"));
        NAMES.put("Shape", Set.of("start", "end"));
        NAMES.put("ConstantOfShape", Set.of("value"));
        NAMES.put("Constant", Set.of("value", "value_float", "value_floats", "value_int", "value_ints"));
        NAMES.put(OpShapes.key(GraphBuilder.MS_DOMAIN, "MultiHeadAttention"),
                Set.of("num_heads", "mask_filter_value", "scale", "unidirectional"));
    }

    private OpAttributes() {}

    /** Refuses attribute names the op does not have; ops registered without a list are not checked. */
    static void check(String domain, String opType, Set<String> given) {
        Set<String> known = NAMES.get(OpShapes.key(domain, opType));
        if (known == null) return;
        for (String name : given) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(opType + " has no attribute '" + name + "' in opset 17"
                        + (known.isEmpty() ? " (it takes none)" : " (it has: " + String.join(", ", new TreeSet<>(known)) + ")"));
            }
        }
    }
}
