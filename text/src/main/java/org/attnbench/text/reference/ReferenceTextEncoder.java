package org.attnbench.text.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.ClipTextConfig;
import org.attnbench.text.encoder.T5EncoderConfig;
import org.attnbench.text.encoder.TextEncoderConfig;

/** Either reference over a batch, with the graphs' output names and shapes (float64 tensors). */
public final class ReferenceTextEncoder {
    private ReferenceTextEncoder() {}

    /** The outputs for ids [P][L]; {@code mask} [P][L] (1 attended, 0 not) may be null. */
    public static Map<String, HostTensor> encode(TextEncoderConfig config, WeightSource weights, long[][] ids,
                                                 long[][] mask) {
        int p = ids.length;
        Map<String, HostTensor> out = new LinkedHashMap<>();
        if (config instanceof T5EncoderConfig t5) {
            ReferenceT5Encoder ref = new ReferenceT5Encoder(t5, weights);
            double[][][] last = new double[p][][];
            for (int i = 0; i < p; i++) last[i] = ref.encode(ids[i], mask == null ? null : mask[i]);
            out.put(TextEncoderConfig.LAST_HIDDEN_STATE, stack(last, t5.dModel()));
            return out;
        }
        ClipTextConfig clip = (ClipTextConfig) config;
        ReferenceClipText ref = new ReferenceClipText(clip, weights);
        double[][][] last = new double[p][][];
        double[][][] penultimate = new double[p][][];
        double[][] pooled = new double[p][];
        double[][] embeds = new double[p][];
        for (int i = 0; i < p; i++) {
            ReferenceClipText.Output o = ref.encode(ids[i], mask == null ? null : mask[i]);
            last[i] = o.lastHiddenState();
            penultimate[i] = o.penultimateHiddenState();
            pooled[i] = o.pooled();
            embeds[i] = o.textEmbeds();
        }
        out.put(TextEncoderConfig.LAST_HIDDEN_STATE, stack(last, clip.hiddenSize()));
        out.put(TextEncoderConfig.PENULTIMATE_HIDDEN_STATE, stack(penultimate, clip.hiddenSize()));
        out.put(TextEncoderConfig.POOLER_OUTPUT, rows(pooled, clip.hiddenSize()));
        if (clip.withProjection()) out.put(TextEncoderConfig.TEXT_EMBEDS, rows(embeds, clip.projectionDim()));
        return out;
    }

    private static HostTensor stack(double[][][] x, int d) {
        int l = x[0].length;
        double[] flat = new double[x.length * l * d];
        for (int p = 0; p < x.length; p++) {
            for (int t = 0; t < l; t++) System.arraycopy(x[p][t], 0, flat, (p * l + t) * d, d);
        }
        return HostTensor.of(flat, x.length, l, d);
    }

    private static HostTensor rows(double[][] x, int d) {
        double[] flat = new double[x.length * d];
        for (int p = 0; p < x.length; p++) System.arraycopy(x[p], 0, flat, p * d, d);
        return HostTensor.of(flat, x.length, d);
    }
}
