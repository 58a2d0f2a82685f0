package org.attnbench.models.inception;

import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.inception.FidInceptionLayout.Unit;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * The FID Inception-v3 as a graph: pytorch-fid's {@code InceptionV3(output_blocks=[3])} with its
 * FIDInceptionA, C and E blocks, which is also what StyleGAN's TorchScript file computes in its
 * {@code layers}, the TensorFlow graph of 2015-12-05 both were converted from.
 *
 * <p>Stem: five units (3x3 stride 2, 3x3, 3x3 padded, 1x1, 3x3) with a 3x3 stride-2 max pool after
 * the third and the fifth; Mixed_5b-5d (A), Mixed_6a (B), Mixed_6b-6e (C), Mixed_7a (D), Mixed_7b
 * and 7c (E); the 2048 features are the average over the last 8 x 8 grid (pool3). The FID variant
 * differs from torchvision's Inception in its pooling branches: the 3x3 average pools of A, C and
 * Mixed_7b leave the padding out of the mean (TensorFlow's rule), and Mixed_7c max-pools instead.
 * Every unit is convolution, batch normalization (epsilon 0.001) and ReLU; the normalization is
 * folded into the convolution (in double, stored as float32).
 *
 * <p>Input {@value #INPUT} [B, 3, 299, 299], RGB, values as the weights' form expects them (see
 * the extractor); output {@value #FEATURES} [B, D], D the width the weights give (2048).
 */
public final class FidInception {
    public static final String INPUT = "image";
    public static final String FEATURES = "features";
    public static final int INPUT_SIZE = 299;
    public static final double BN_EPSILON = 0.001;

    private final GraphBuilder g;
    private final FidInceptionWeights weights;

    private FidInception(GraphBuilder g, FidInceptionWeights weights) {
        this.g = g;
        this.weights = weights;
    }

    /** The graph for batches of {@code batch} images. */
    public static OnnxModel build(FidInceptionWeights weights, int batch) {
        GraphBuilder g = new GraphBuilder("fid_inception_v3");
        FidInception net = new FidInception(g, weights);
        Value x = g.input(INPUT, DType.FLOAT32, batch, 3, INPUT_SIZE, INPUT_SIZE);
        g.output(FEATURES, net.features(x));
        return g.build();
    }

    private Value features(Value x) {
        x = unit("Conv2d_1a_3x3", x);
        x = unit("Conv2d_2a_3x3", x);
        x = unit("Conv2d_2b_3x3", x);
        x = maxPool(x, 2, 0);
        x = unit("Conv2d_3b_1x1", x);
        x = unit("Conv2d_4a_3x3", x);
        x = maxPool(x, 2, 0);
        for (String b : new String[] {"Mixed_5b", "Mixed_5c", "Mixed_5d"}) x = inceptionA(b, x);
        x = inceptionB("Mixed_6a", x);
        for (String b : new String[] {"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"}) x = inceptionC(b, x);
        x = inceptionD("Mixed_7a", x);
        x = inceptionE("Mixed_7b", x, false);
        x = inceptionE("Mixed_7c", x, true);
        return g.reduceMean(x, new long[] {2, 3}, false);
    }

    private Value inceptionA(String b, Value x) {
        try (GraphBuilder.Scope s = g.scope(b)) {
            Value branch5x5 = unit(b + ".branch5x5_2", unit(b + ".branch5x5_1", x));
            Value dbl = unit(b + ".branch3x3dbl_3", unit(b + ".branch3x3dbl_2", unit(b + ".branch3x3dbl_1", x)));
            Value pool = unit(b + ".branch_pool", averagePool(x));
            return g.concat(1, unit(b + ".branch1x1", x), branch5x5, dbl, pool);
        }
    }

    private Value inceptionB(String b, Value x) {
        try (GraphBuilder.Scope s = g.scope(b)) {
            Value dbl = unit(b + ".branch3x3dbl_3", unit(b + ".branch3x3dbl_2", unit(b + ".branch3x3dbl_1", x)));
            return g.concat(1, unit(b + ".branch3x3", x), dbl, maxPool(x, 2, 0));
        }
    }

    private Value inceptionC(String b, Value x) {
        try (GraphBuilder.Scope s = g.scope(b)) {
            Value branch7x7 = unit(b + ".branch7x7_3", unit(b + ".branch7x7_2", unit(b + ".branch7x7_1", x)));
            Value dbl = x;
            for (int i = 1; i <= 5; i++) dbl = unit(b + ".branch7x7dbl_" + i, dbl);
            Value pool = unit(b + ".branch_pool", averagePool(x));
            return g.concat(1, unit(b + ".branch1x1", x), branch7x7, dbl, pool);
        }
    }

    private Value inceptionD(String b, Value x) {
        try (GraphBuilder.Scope s = g.scope(b)) {
            Value branch3x3 = unit(b + ".branch3x3_2", unit(b + ".branch3x3_1", x));
            Value branch7x7x3 = x;
            for (int i = 1; i <= 4; i++) branch7x7x3 = unit(b + ".branch7x7x3_" + i, branch7x7x3);
            return g.concat(1, branch3x3, branch7x7x3, maxPool(x, 2, 0));
        }
    }

    /** E blocks: Mixed_7b average-pools its pooling branch, Mixed_7c max-pools it (the FID variant's quirk). */
    private Value inceptionE(String b, Value x, boolean maxPoolBranch) {
        try (GraphBuilder.Scope s = g.scope(b)) {
            Value branch3x3 = unit(b + ".branch3x3_1", x);
            Value dbl = unit(b + ".branch3x3dbl_2", unit(b + ".branch3x3dbl_1", x));
            Value pooled = maxPoolBranch ? maxPool(x, 1, 1) : averagePool(x);
            return g.concat(1, unit(b + ".branch1x1", x), unit(b + ".branch3x3_2a", branch3x3), unit(b + ".branch3x3_2b", branch3x3),
                    unit(b + ".branch3x3dbl_3a", dbl), unit(b + ".branch3x3dbl_3b", dbl), unit(b + ".branch_pool", pooled));
        }
    }

    /** Convolution with the normalization folded in, then ReLU. */
    private Value unit(String name, Value x) {
        Unit u = FidInceptionLayout.unit(name);
        FidInceptionWeights.ConvBn c = weights.unit(name);
        if (c.inChannels() != x.dim(1)) {
            throw new UserError(weights.source() + ": " + name + " takes " + c.inChannels() + " channels but the layers before it give "
                    + x.dim(1) + " (its weights do not belong to one FID Inception)");
        }
        int out = c.outChannels();
        float[] w = c.weight().toFloats();
        int perOut = w.length / out;
        float[] folded = new float[w.length];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = (c.gamma() == null ? 1.0 : c.gamma()[o]) / Math.sqrt((double) c.var()[o] + BN_EPSILON);
            for (int i = 0; i < perOut; i++) folded[o * perOut + i] = (float) (w[o * perOut + i] * scale);
            bias[o] = (float) (c.beta()[o] - c.mean()[o] * scale);
        }
        Value weight = g.initializer(name + ".weight_folded", HostTensor.of(folded, c.weight().shape()));
        Value b = g.initializer(name + ".bias_folded", HostTensor.of(bias, out));
        long[] stride = {u.stride(), u.stride()};
        long[] pads = {u.padH(), u.padW(), u.padH(), u.padW()};
        try (GraphBuilder.Scope s = g.scope(name.substring(name.indexOf('.') + 1))) {
            return g.op("Relu", g.conv(x, weight, b, stride, pads, null, 1));
        }
    }

    private Value maxPool(Value x, int stride, int pad) {
        return g.maxPool(x, new long[] {3, 3}, new long[] {stride, stride}, new long[] {pad, pad, pad, pad}, null, false);
    }

    /** 3x3 stride-1 average over the cells inside the image (ONNX's count_include_pad = 0). */
    private Value averagePool(Value x) {
        return g.averagePool(x, new long[] {3, 3}, new long[] {1, 1}, new long[] {1, 1, 1, 1}, false);
    }
}
