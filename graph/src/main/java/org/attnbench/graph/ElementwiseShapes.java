package org.attnbench.graph;

import static org.attnbench.graph.OpShapes.broadcast;
import static org.attnbench.graph.OpShapes.input;
import static org.attnbench.graph.OpShapes.like;
import static org.attnbench.graph.OpShapes.one;
import static org.attnbench.graph.OpShapes.optional;
import static org.attnbench.graph.OpShapes.sameDType;

import java.util.List;
import java.util.Objects;
import org.attnbench.tensor.DType;

/** Elementwise ops: unary, broadcasting binary and variadic, comparisons, Where, Clip, Cast, Softmax. */
final class ElementwiseShapes {
    private ElementwiseShapes() {}

    static void addTo(OpShapes.Table rules) {
        for (String op : List.of("Add", "Sub", "Mul", "Div")) rules.add(op, (in, a, c) -> like(binary(in)));
        for (String op : List.of("Min", "Max")) rules.add(op, (in, a, c) -> like(broadcastSameType(in)));
        // Pow's exponent may have another type; the result has the base's.
        rules.add("Pow", (in, a, c) -> one(input(in, 0, "X").dtype(),
                broadcast(in.get(0).shape(), input(in, 1, "Y").shape())));
        for (String op : List.of("Equal", "Less", "Greater")) {
            rules.add(op, (in, a, c) -> one(DType.BOOL, binary(in).shape()));
        }
        rules.add("Not", (in, a, c) -> {
            OpShapes.requireDType(input(in, 0, "X"), "Not's input", DType.BOOL);
            return like(in.get(0));
        });
        for (String op : List.of("Sqrt", "Exp", "Erf", "Sigmoid", "Tanh", "Sin", "Cos", "Reciprocal", "Log",
                "Floor", "Ceil")) {
            rules.add(op, (in, a, c) -> {
                OpShapes.requireFloat(input(in, 0, "X"), op + "'s input");
                return like(in.get(0));
            });
        }
        for (String op : List.of("Neg", "Abs", "Relu", "Identity")) rules.add(op, (in, a, c) -> like(input(in, 0, "X")));
        rules.add("Softmax", (in, a, c) -> {
            Value x = input(in, 0, "input");
            OpShapes.normalizeAxis(OpShapes.longAttr(a, "axis", -1), x.rank());
            return like(x);
        });
        rules.add("Cast", (in, a, c) -> {
            Object to = a.get("to");
            if (to == null) throw new IllegalArgumentException("Cast needs the 'to' attribute");
            return one(OpShapes.onnxDType(((Number) to).longValue()), input(in, 0, "input").shape());
        });
        rules.add("Clip", (in, a, c) -> {
            Value x = input(in, 0, "input");
            for (int i = 1; i <= 2; i++) {
                Value bound = optional(in, i);
                if (bound == null) continue;
                sameDType(x, bound);
                if (bound.rank() > 1 || bound.rank() == 1 && bound.dim(0) != 1) {
                    throw new IllegalArgumentException("Clip's " + (i == 1 ? "min" : "max") + " must be a scalar");
                }
            }
            return like(x);
        });
        rules.add("Where", (in, a, c) -> {
            Value cond = input(in, 0, "condition");
            OpShapes.requireDType(cond, "Where's condition", DType.BOOL);
            Value xy = binary(in.subList(1, in.size()));
            return one(xy.dtype(), broadcast(cond.shape(), xy.shape()));
        });
    }

    private static Value binary(List<Value> in) {
        if (in.size() != 2) throw new IllegalArgumentException("expects 2 inputs, got " + in.size());
        return broadcastSameType(in);
    }

    /** Broadcasts all inputs (at least one), which must share one dtype; the result is unnamed. */
    private static Value broadcastSameType(List<Value> in) {
        if (in.isEmpty() || in.stream().anyMatch(Objects::isNull)) throw new IllegalArgumentException("missing input");
        Value first = in.get(0);
        long[] shape = first.shape();
        for (Value v : in.subList(1, in.size())) {
            sameDType(first, v);
            shape = broadcast(shape, v.shape());
        }
        return new Value("", first.dtype(), shape);
    }
}
