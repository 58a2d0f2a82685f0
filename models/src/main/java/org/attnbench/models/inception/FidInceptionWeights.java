package org.attnbench.models.inception;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.models.inception.FidInceptionLayout.Unit;
import org.attnbench.tensor.HostTensor;

/**
 * The weights of every FID Inception unit ({@link FidInceptionLayout}), from either published
 * form, checked against the layout: every tensor present, kernels of the layout's size, one
 * normalization value per output channel. Widths are whatever the weights hold.
 */
public final class FidInceptionWeights {
    /**
     * One unit: convolution weight [out, in, kh, kw], batch-norm scale (null: none, i.e. 1),
     * shift, running mean and variance [out].
     */
    public record ConvBn(HostTensor weight, float[] gamma, float[] beta, float[] mean, float[] var) {
        public int outChannels() {
            return (int) weight.shape()[0];
        }

        public int inChannels() {
            return (int) weight.shape()[1];
        }
    }

    private final Map<String, ConvBn> units;
    private final String source;

    private FidInceptionWeights(Map<String, ConvBn> units, String source) {
        this.units = units;
        this.source = source;
    }

    /**
     * pytorch-fid's state_dict ({@code Conv2d_1a_3x3.conv.weight} ... {@code Mixed_7c.branch_pool.bn.running_var});
     * {@code fc.*} and {@code *.num_batches_tracked} may be present and are ignored, any other name
     * is refused (torchvision's ImageNet Inception, for one, carries {@code AuxLogits.*}).
     */
    public static FidInceptionWeights fromPytorchFid(Map<String, HostTensor> state, String source) {
        Set<String> expected = new HashSet<>(FidInceptionLayout.fidTensorNames());
        List<String> unknown = state.keySet().stream().filter(n -> !expected.contains(n) && !n.startsWith("fc.")
                && !n.endsWith(".num_batches_tracked")).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new UserError(source + " holds tensors pytorch-fid's FID Inception has not (" + sample(unknown)
                    + "): is it the state_dict of pt_inception-2015-12-05-6726825d.pth?");
        }
        Map<String, ConvBn> units = new LinkedHashMap<>();
        for (Unit u : FidInceptionLayout.units()) {
            String p = u.fidName();
            units.put(p, convBn(u, source, get(state, p + ".conv.weight", source), get(state, p + ".bn.weight", source),
                    get(state, p + ".bn.bias", source), get(state, p + ".bn.running_mean", source),
                    get(state, p + ".bn.running_var", source)));
        }
        return new FidInceptionWeights(units, source);
    }

    /** The TorchScript file's tensors by attribute path ({@code layers.conv.weight}, {@code .beta}, {@code .mean}, {@code .var}). */
    public static FidInceptionWeights fromTorchScript(Map<String, HostTensor> tensors, String source) {
        Map<String, ConvBn> units = new LinkedHashMap<>();
        for (Unit u : FidInceptionLayout.units()) {
            String p = u.scriptName();
            units.put(u.fidName(), convBn(u, source, get(tensors, p + ".weight", source), null, get(tensors, p + ".beta", source),
                    get(tensors, p + ".mean", source), get(tensors, p + ".var", source)));
        }
        return new FidInceptionWeights(units, source);
    }

    /** The unit pytorch-fid calls {@code fidName}. */
    public ConvBn unit(String fidName) {
        ConvBn c = units.get(fidName);
        if (c == null) throw new IllegalArgumentException("no unit " + fidName);
        return c;
    }

    /** Where the weights came from, for labels. */
    public String source() {
        return source;
    }

    /** The same weights with other batch-norm scales (tests: the scale's path through the graph). */
    public FidInceptionWeights withGammas(Map<String, float[]> gammas) {
        Map<String, ConvBn> out = new LinkedHashMap<>();
        units.forEach((name, c) -> out.put(name, new ConvBn(c.weight(), gammas.getOrDefault(name, c.gamma()), c.beta(), c.mean(), c.var())));
        return new FidInceptionWeights(out, source);
    }

    private static HostTensor get(Map<String, HostTensor> tensors, String name, String source) {
        HostTensor t = tensors.get(name);
        if (t == null) {
            throw new UserError(source + " lacks tensor '" + name + "': it is not the FID Inception's weights");
        }
        if (!t.dtype().isFloatingPoint()) throw new UserError(source + ": tensor '" + name + "' is " + t.dtype() + ", not floating point");
        return t;
    }

    private static ConvBn convBn(Unit u, String source, HostTensor weight, HostTensor gamma, HostTensor beta, HostTensor mean,
                                 HostTensor var) {
        long[] s = weight.shape();
        if (s.length != 4 || s[2] != u.kernelH() || s[3] != u.kernelW()) {
            throw new UserError(source + ": the weight of " + u.fidName() + " is " + Arrays.toString(s) + "; the FID Inception's is [out, in, "
                    + u.kernelH() + ", " + u.kernelW() + "]");
        }
        float[][] vectors = new float[4][];
        HostTensor[] given = {gamma, beta, mean, var};
        for (int i = 0; i < 4; i++) {
            if (given[i] == null) continue;
            if (given[i].numel() != s[0]) {
                throw new UserError(source + ": " + u.fidName() + " normalizes " + given[i].numel() + " channels but its convolution gives " + s[0]);
            }
            vectors[i] = given[i].toFloats();
        }
        HostTensor w = weight.dtype() == org.attnbench.tensor.DType.FLOAT32 ? weight : weight.toDType(org.attnbench.tensor.DType.FLOAT32);
        return new ConvBn(w, vectors[0], vectors[1], vectors[2], vectors[3]);
    }

    private static String sample(List<String> names) {
        List<String> shown = new ArrayList<>(names.subList(0, Math.min(3, names.size())));
        if (names.size() > 3) shown.add("and " + (names.size() - 3) + " more");
        return String.join(", ", shown);
    }
}
