package org.attnbench.models.keras;

import java.util.Arrays;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.HostTensor;

/** Conv2D and 2-D pooling layers on NCHW values, with TensorFlow's padding (see {@link KerasGraph}). */
final class KerasConv {
    private KerasConv() {}

    /** Conv2D, with a following BatchNormalization folded in when {@code bn} is given. */
    static Value conv(GraphBuilder g, TfjsLayersModel model, KerasLayer l, Value x, BatchNorm bn) {
        channelsLast(l);
        if (l.number("groups", 1) != 1) throw new UserError("layer '" + l.name() + "' is a grouped convolution (not supported)");
        HostTensor kernel = model.weight(l.name(), "kernel");
        long[] k = kernel.shape(); // [kh, kw, in, out]
        if (k.length != 4 || k[2] != x.dim(1)) {
            throw new IllegalArgumentException("kernel " + Arrays.toString(k) + " does not fit input " + x);
        }
        int kh = (int) k[0];
        int kw = (int) k[1];
        int in = (int) k[2];
        int out = (int) k[3];
        float[] hwio = kernel.toFloats();
        float[] bias = l.flag("use_bias", true) ? model.weight(l.name(), "bias").toFloats() : null;
        float[] oihw = new float[hwio.length];
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            double s = bn == null ? 1 : bn.scale()[o];
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int xx = 0; xx < kw; xx++) {
                        float w = hwio[((y * kw + xx) * in + i) * out + o];
                        oihw[((o * in + i) * kh + y) * kw + xx] = bn == null ? w : (float) (w * s);
                    }
                }
            }
            double raw = bias == null ? 0 : bias[o];
            b[o] = bn == null ? (float) raw : (float) (raw * s + bn.shift()[o]);
        }
        String suffix = bn == null ? "" : "_folded";
        Value w = g.initializer(l.name() + "/kernel" + suffix, HostTensor.of(oihw, out, in, kh, kw));
        Value bv = bias == null && bn == null ? null : g.initializer(l.name() + "/bias" + suffix, HostTensor.of(b, out));
        long[] strides = l.pair("strides", 1);
        long[] dilations = l.pair("dilation_rate", 1);
        long[] pads = pads(l, x, new long[] {kh, kw}, strides, dilations);
        Value y = g.conv(x, w, bv, strides, pads, dilations, 1);
        return KerasGraph.activation(g, y, l.string("activation", "linear"));
    }

    /** MaxPooling2D or AveragePooling2D; strides default to the pool size, as in Keras. */
    static Value pool(GraphBuilder g, KerasLayer l, Value x, boolean max) {
        channelsLast(l);
        long[] size = l.pair("pool_size", 2);
        long[] strides = l.config().has("strides") && !l.config().get("strides").isJsonNull() ? l.pair("strides", 1) : size;
        long[] pads = pads(l, x, size, strides, new long[] {1, 1});
        // ONNX's AveragePool leaves pads out of the mean by default (count_include_pad = 0), as TensorFlow does.
        return max ? g.maxPool(x, size, strides, pads, null, false) : g.averagePool(x, size, strides, pads, false);
    }

    /** ONNX pads [top, left, bottom, right] for Keras padding "valid" or "same". */
    static long[] pads(KerasLayer l, Value x, long[] kernel, long[] strides, long[] dilations) {
        String padding = l.string("padding", "valid");
        if (padding.equals("valid")) return new long[4];
        if (!padding.equals("same")) throw new UserError("layer '" + l.name() + "' has padding '" + padding + "' (not supported)");
        long[] p = new long[4];
        for (int i = 0; i < 2; i++) {
            long in = x.dim(2 + i);
            long outSize = (in + strides[i] - 1) / strides[i];
            long total = Math.max((outSize - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in, 0);
            p[i] = total / 2;
            p[i + 2] = total - total / 2;
        }
        return p;
    }

    private static void channelsLast(KerasLayer l) {
        String format = l.string("data_format", "channels_last");
        if (!format.equals("channels_last")) {
            throw new UserError("layer '" + l.name() + "' uses data_format " + format + "; only channels_last is supported");
        }
    }
}
