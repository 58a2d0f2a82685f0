package org.attnbench.models.keras;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.HostTensor;

/**
 * Adds the layers of a Keras functional model to a {@link GraphBuilder}, on demand: asking for
 * a layer's output builds that layer and everything it reads, once, so a graph that stops at an
 * inner layer holds nothing past it.
 *
 * <p>Keras computes in NHWC (channels_last); ONNX's Conv and pooling take NCHW. Image values are
 * therefore kept NCHW throughout (the caller feeds NCHW inputs), kernels are transposed from
 * Keras's HWIO to ONNX's OIHW, channel axes are remapped, and Flatten transposes back to NHWC
 * first, so flattened vectors keep Keras's element order.
 *
 * <p>Layers: InputLayer, Conv2D, BatchNormalization, Activation (linear, relu, sigmoid, tanh,
 * softmax), MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Concatenate, Flatten, Dense
 * and Dropout (the identity at inference). Others are refused by name.
 *
 * <ul>
 *   <li>Padding {@code same} follows TensorFlow: total padding
 *       {@code max((ceil(in / s) - 1) s + (k - 1) d + 1 - in, 0)} per axis, the smaller half
 *       before, so an odd total puts the extra row and column at the bottom and right.
 *   <li>AveragePooling2D with {@code same} padding averages only the cells inside the image
 *       (TensorFlow's rule; ONNX's count_include_pad = 0).
 *   <li>BatchNormalization at inference is {@code (x - mean) / sqrt(var + eps) * gamma + beta},
 *       gamma = 1 when {@code scale} is false and beta = 0 when {@code center} is false. When
 *       it reads a Conv2D without activation that nothing else reads, it is folded into that
 *       convolution's kernel and bias (computed in double, stored as float32, named
 *       {@code conv2d_1/kernel_folded}; the node carries the BatchNormalization's name);
 *       otherwise it is a per-channel multiply and add.
 * </ul>
 */
public final class KerasGraph {
    private final TfjsLayersModel model;
    private final GraphBuilder g;
    private final Map<String, Value> built = new HashMap<>();

    /** {@code inputs}: each InputLayer's value, images as NCHW. */
    public KerasGraph(TfjsLayersModel model, GraphBuilder g, Map<String, Value> inputs) {
        this.model = model;
        this.g = g;
        for (Map.Entry<String, Value> e : inputs.entrySet()) {
            if (!model.layer(e.getKey()).className().equals("InputLayer")) {
                throw new IllegalArgumentException(e.getKey() + " is not an input layer");
            }
            built.put(e.getKey(), e.getValue());
        }
    }

    /** The output of layer {@code name} (NCHW for images), building it and what it reads if needed. */
    public Value output(String name) {
        Value v = built.get(name);
        if (v != null) return v;
        KerasLayer layer = model.layer(name);
        KerasLayer folded = foldedConv(layer);
        // Inputs first, so node names are scoped by their own layer only ("conv2d_5/Conv").
        for (String in : (folded != null ? folded : layer).inbound()) output(in);
        try (GraphBuilder.Scope s = g.scope(name)) {
            v = folded != null ? KerasConv.conv(g, model, folded, output(folded.onlyInput()), BatchNorm.of(model, layer)) : build(layer);
        } catch (IllegalArgumentException e) {
            throw new UserError("cannot convert Keras layer '" + name + "' (" + layer.className() + "): " + e.getMessage(), e);
        }
        built.put(name, v);
        return v;
    }

    private Value build(KerasLayer l) {
        return switch (l.className()) {
            case "InputLayer" -> throw new UserError("input layer '" + l.name() + "' was given no value");
            case "Conv2D" -> KerasConv.conv(g, model, l, output(l.onlyInput()), null);
            case "BatchNormalization" -> batchNorm(l);
            case "Activation" -> activation(g, output(l.onlyInput()), l.string("activation"));
            case "MaxPooling2D" -> KerasConv.pool(g, l, output(l.onlyInput()), true);
            case "AveragePooling2D" -> KerasConv.pool(g, l, output(l.onlyInput()), false);
            case "GlobalAveragePooling2D" -> g.reduceMean(image(l, output(l.onlyInput())), new long[] {2, 3}, false);
            case "Concatenate" -> concat(l);
            case "Flatten" -> flatten(output(l.onlyInput()));
            case "Dense" -> dense(l, output(l.onlyInput()));
            case "Dropout" -> output(l.onlyInput());
            default -> throw new UserError("layer '" + l.name() + "' is a " + l.className() + ", which attnbench cannot convert");
        };
    }

    /** The Conv2D a BatchNormalization folds into (one without activation that nothing else reads), or null. */
    private KerasLayer foldedConv(KerasLayer layer) {
        if (!layer.className().equals("BatchNormalization")) return null;
        KerasLayer in = model.layer(layer.onlyInput());
        boolean foldable = in.className().equals("Conv2D") && in.string("activation", "linear").equals("linear")
                && model.consumers(in.name()) == 1 && !built.containsKey(in.name());
        return foldable ? in : null;
    }

    private Value batchNorm(KerasLayer bn) {
        Value x = output(bn.onlyInput());
        BatchNorm norm = BatchNorm.of(model, bn);
        long c = norm.scale().length;
        long[] shape = x.rank() == 4 ? new long[] {c, 1, 1} : new long[] {c};
        if (x.dim(x.rank() == 4 ? 1 : x.rank() - 1) != c) {
            throw new IllegalArgumentException("normalizes " + c + " channels but its input is " + x);
        }
        return g.add(g.mul(x, g.constant(HostTensor.of(floats(norm.scale()), shape))),
                g.constant(HostTensor.of(floats(norm.shift()), shape)));
    }

    private Value concat(KerasLayer l) {
        List<Value> parts = l.inbound().stream().map(this::output).toList();
        int rank = parts.get(0).rank();
        int axis = (int) l.number("axis", -1);
        if (axis < 0) axis += rank;
        // NHWC axis -> NCHW axis for images; other ranks keep their layout.
        if (rank == 4) axis = new int[] {0, 2, 3, 1}[axis];
        return g.concat(axis, parts.toArray(Value[]::new));
    }

    /** Keras flattens NHWC in row-major order: channels vary fastest. */
    private Value flatten(Value x) {
        if (x.rank() == 2) return x;
        long b = x.dim(0);
        long rest = HostTensor.numel(x.shape()) / b;
        if (x.rank() != 4) return g.reshape(x, b, rest);
        Value nhwc = x.dim(2) * x.dim(3) == 1 ? x : g.transpose(x, 0, 2, 3, 1);
        return g.reshape(nhwc, b, rest);
    }

    private Value dense(KerasLayer l, Value x) {
        if (x.rank() != 2) throw new IllegalArgumentException("Dense reads " + x + "; only [batch, features] is supported");
        Value y = g.matMul(x, g.initializer(l.name() + "/kernel", model.weight(l.name(), "kernel")));
        if (l.flag("use_bias", true)) y = g.add(y, g.initializer(l.name() + "/bias", model.weight(l.name(), "bias")));
        return activation(g, y, l.string("activation", "linear"));
    }

    /** A Keras activation; softmax runs over the channels (axis 1 of an NCHW image, the last axis otherwise). */
    static Value activation(GraphBuilder g, Value x, String name) {
        return switch (name) {
            case "linear" -> x;
            case "relu" -> g.op("Relu", x);
            case "sigmoid" -> g.op("Sigmoid", x);
            case "tanh" -> g.op("Tanh", x);
            case "softmax" -> g.softmax(x, x.rank() == 4 ? 1 : -1);
            default -> throw new UserError("activation '" + name + "' is not supported");
        };
    }

    private static Value image(KerasLayer l, Value x) {
        if (x.rank() != 4) throw new IllegalArgumentException(l.className() + " needs an image, got " + x);
        return x;
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
