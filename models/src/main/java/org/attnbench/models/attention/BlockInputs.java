package org.attnbench.models.attention;

import java.util.SplittableRandom;
import org.attnbench.tensor.HostTensor;

/** Inputs of the attention block: seeded Gaussian token maps [B, N, C] (the worst case for token reduction). */
public final class BlockInputs {
    private BlockInputs() {}

    public static HostTensor gaussian(long seed, AttentionShape s) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[s.batch() * s.tokens() * s.channels()];
        for (int i = 0; i < v.length; i++) v[i] = (float) BlockWeights.gaussian(rnd);
        return HostTensor.of(v, s.batch(), s.tokens(), s.channels());
    }
}
