package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/** Element-wise ops with numpy broadcasting (libtorch broadcasts the same way), casts and selection. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static void addTo(OpRegistry ops) {
        unary(ops, "Sqrt", NDArray::sqrt);
        unary(ops, "Exp", NDArray::exp);
        unary(ops, "Log", NDArray::log);
        unary(ops, "Erf", NDArray::erf);
        unary(ops, "Sigmoid", Activation::sigmoid);
        unary(ops, "Tanh", NDArray::tanh);
        unary(ops, "Sin", NDArray::sin);
        unary(ops, "Cos", NDArray::cos);
        unary(ops, "Tan", NDArray::tan);
        unary(ops, "Asin", NDArray::asin);
        unary(ops, "Acos", NDArray::acos);
        unary(ops, "Atan", NDArray::atan);
        unary(ops, "Sinh", NDArray::sinh);
        unary(ops, "Cosh", NDArray::cosh);
        // DJL's PyTorch engine lacks the inverse hyperbolic functions: their log forms.
        unary(ops, "Asinh", x -> x.add(x.square().add(1).sqrt()).log());
        unary(ops, "Acosh", x -> x.add(x.square().sub(1).sqrt()).log());
        unary(ops, "Atanh", x -> x.add(1).div(x.neg().add(1)).log().mul(0.5));
        unary(ops, "Neg", NDArray::neg);
        unary(ops, "Abs", NDArray::abs);
        unary(ops, "Relu", Activation::relu);
        unary(ops, "Reciprocal", x -> x.onesLike().div(x));
        unary(ops, "Floor", NDArray::floor);
        unary(ops, "Ceil", NDArray::ceil);
        unary(ops, "Round", NDArray::round); // half to even, as ONNX asks
        unary(ops, "Sign", NDArray::sign);
        unary(ops, "Not", NDArray::logicalNot);
        unary(ops, "Softplus", x -> x.exp().add(1).log());
        unary(ops, "Softsign", x -> x.div(x.abs().add(1)));
        unary(ops, "IsNaN", NDArray::isNaN);
        unary(ops, "Identity", NDArray::duplicate);
        binary(ops, "Add", NDArray::add);
        binary(ops, "Sub", NDArray::sub);
        binary(ops, "Mul", NDArray::mul);
        binary(ops, "Div", ElementwiseOps::div);
        binary(ops, "Pow", (a, b) -> castTo(a.pow(b), a.getDataType()));
        binary(ops, "And", NDArray::logicalAnd);
        binary(ops, "Or", NDArray::logicalOr);
        binary(ops, "Xor", NDArray::logicalXor);
        binary(ops, "Equal", NDArray::eq);
        binary(ops, "Less", NDArray::lt);
        binary(ops, "LessOrEqual", NDArray::lte);
        binary(ops, "Greater", NDArray::gt);
        binary(ops, "GreaterOrEqual", NDArray::gte);
        variadic(ops, "Max", NDArray::maximum, false);
        variadic(ops, "Min", NDArray::minimum, false);
        variadic(ops, "Sum", NDArray::add, false);
        variadic(ops, "Mean", NDArray::add, true);
        ops.add("Where", c -> of(where(c.in(0), c.in(1), c.in(2))));
        ops.add("Mod", c -> of(c.attrs.getInt("fmod", 0) == 1 ? fmod(c.in(0), c.in(1)) : c.in(0).mod(c.in(1))));
        ops.add("Clip", ElementwiseOps::clip);
        ops.add("LeakyRelu", c -> of(Activation.leakyRelu(c.in(0), c.attrs.getFloat("alpha", 0.01f))));
        ops.add("Elu", c -> of(Activation.elu(c.in(0), c.attrs.getFloat("alpha", 1f))));
        ops.add("Selu", c -> {
            NDArray x = c.in(0);
            float alpha = c.attrs.getFloat("alpha", 1.67326319217681884765625f);
            float gamma = c.attrs.getFloat("gamma", 1.05070102214813232421875f);
            return of(where(x.gt(0), x, x.exp().sub(1).mul(alpha)).mul(gamma));
        });
        ops.add("HardSigmoid", c -> of(c.in(0).mul(c.attrs.getFloat("alpha", 0.2f))
                .add(c.attrs.getFloat("beta", 0.5f)).clip(0, 1)));
        ops.add("HardSwish", c -> of(c.in(0).mul(c.in(0).div(6).add(0.5).clip(0, 1))));
        ops.add("ThresholdedRelu", c -> {
            NDArray x = c.in(0);
            return of(where(x.gt(c.attrs.getFloat("alpha", 1f)), x, x.zerosLike()));
        });
        ops.add("PRelu", c -> of(where(c.in(0).lt(0), c.in(0).mul(c.in(1)), c.in(0))));
        ops.add("IsInf", c -> {
            NDArray x = c.in(0);
            boolean pos = c.attrs.getInt("detect_positive", 1) == 1;
            boolean neg = c.attrs.getInt("detect_negative", 1) == 1;
            NDArray inf = x.isInfinite();
            if (pos && neg) return of(inf);
            return of(inf.logicalAnd(pos ? x.gt(0) : neg ? x.lt(0) : x.zerosLike().toType(DataType.BOOLEAN, false)));
        });
        ops.add("Celu", c -> {
            NDArray x = c.in(0);
            float alpha = c.attrs.getFloat("alpha", 1f);
            return of(x.maximum(0).add(x.div(alpha).exp().sub(1).mul(alpha).minimum(0)));
        });
        ops.add("Shrink", c -> {
            NDArray x = c.in(0);
            float lambd = c.attrs.getFloat("lambd", 0.5f);
            float bias = c.attrs.getFloat("bias", 0f);
            return of(where(x.lt(-lambd), x.add(bias), where(x.gt(lambd), x.sub(bias), x.zerosLike())));
        });
        // Inference only: the output is the input and the mask is all true.
        ops.add("Dropout", c -> of(c.in(0).duplicate(), c.in(0).onesLike().toType(DataType.BOOLEAN, false)),
                (a, opset, node) -> node.getInputCount() > 2 && !node.getInput(2).isEmpty()
                        ? Optional.of("a training_mode input")
                        : opset < 7 ? Checks.intIs(a, "is_test", 0, 1) : Optional.empty());
        ops.add("Cast", c -> of(castTo(c.in(0), c.computeType(onnxType((int) c.attrs.requireInt("to"))))),
                (a, opset, node) -> Checks.dtype((int) a.getInt("to", 1), "to"));
        ops.add("CastLike", c -> of(castTo(c.in(0), c.in(1).getDataType())));
    }

    /** libtorch's where through DJL wants equal shapes: broadcast the three first. */
    static NDArray where(NDArray cond, NDArray x, NDArray y) {
        long[] shape = ShapeOps.broadcast(ShapeOps.broadcast(cond.getShape().getShape(), x.getShape().getShape()),
                y.getShape().getShape());
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(shape);
        return NDArrays.where(cond.broadcast(s), x.broadcast(s), y.broadcast(s));
    }

    static DataType onnxType(int code) {
        return Tensors.fromOnnx(code).orElseThrow(() -> new IllegalStateException("dtype " + code));
    }

    static NDArray castTo(NDArray a, DataType t) {
        return a.getDataType() == t ? a.duplicate() : a.toType(t, false);
    }

    /** ONNX integer Div truncates; libtorch's div is true division. Via fp64, exact below 2^53. */
    static NDArray div(NDArray a, NDArray b) {
        if (a.getDataType().isFloating()) return a.div(b);
        return a.toType(DataType.FLOAT64, false).div(b.toType(DataType.FLOAT64, false)).trunc().toType(a.getDataType(), false);
    }

    /** C fmod: the result has the sign of the dividend. */
    private static NDArray fmod(NDArray a, NDArray b) {
        NDArray q = div(a, b);
        if (a.getDataType().isFloating()) q = q.trunc();
        return a.sub(b.mul(q));
    }

    /** Opset 11+ takes min and max as optional inputs; earlier opsets as attributes. */
    private static ai.djl.ndarray.NDList clip(OpContext c) {
        NDArray x = c.in(0);
        if (c.opset < 11) {
            return of(x.clip(c.attrs.getFloat("min", Float.NEGATIVE_INFINITY), c.attrs.getFloat("max", Float.POSITIVE_INFINITY)));
        }
        NDArray y = x.duplicate();
        if (c.has(1)) y = y.maximum(c.in(1));
        if (c.has(2)) y = y.minimum(c.in(2));
        return of(y);
    }

    private static void unary(OpRegistry ops, String op, UnaryOperator<NDArray> f) {
        ops.add(op, c -> of(f.apply(c.in(0))));
    }

    /** Opsets before 7 could align B at an explicit axis instead of numpy's trailing alignment. */
    private static void binary(OpRegistry ops, String op, BinaryOperator<NDArray> f) {
        ops.add(op, c -> of(f.apply(c.in(0), c.in(1))), (a, opset, node) -> Checks.absent(a, "axis"));
    }

    private static void variadic(OpRegistry ops, String op, BinaryOperator<NDArray> f, boolean mean) {
        ops.add(op, c -> {
            NDArray acc = c.in(0);
            for (int i = 1; i < c.inputCount(); i++) acc = f.apply(acc, c.in(i));
            return of(mean ? acc.div(c.inputCount()) : acc);
        });
    }
}
