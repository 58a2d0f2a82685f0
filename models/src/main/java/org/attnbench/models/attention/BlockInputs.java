package org.attnbench.models.attention;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.core.UserError;
import org.attnbench.models.inputs.TokenMaps;
import org.attnbench.tensor.HostTensor;

/** Inputs of the attention block as float32 tensors [B, N, C], from the token maps of {@link TokenMaps}. */
public final class BlockInputs {
    private BlockInputs() {}

    /** Seeded Gaussian tokens: no spatial redundancy, the worst case for token reduction. */
    public static HostTensor gaussian(long seed, AttentionShape s) {
        return tensor(TokenMaps.gaussian(seed, s.batch(), s.height(), s.width(), s.channels()), s);
    }

    /**
     * Tokens projected from seeded images with a natural image's spectrum ({@link
     * org.attnbench.models.inputs.SyntheticImages}): batch element b from image seed {@code imageSeed + b}.
     */
    public static HostTensor synthetic(long imageSeed, long projectionSeed, AttentionShape s) {
        return tensor(TokenMaps.synthetic(imageSeed, projectionSeed, s.batch(), s.height(), s.width(), s.channels()), s);
    }

    /** Tokens projected from photographs (see {@link TokenMaps} for the recipe). */
    public static HostTensor fromImages(List<Path> images, long seed, AttentionShape s) {
        try {
            return tensor(TokenMaps.fromImage(images, seed, s.batch(), s.height(), s.width(), s.channels()), s);
        } catch (IOException e) {
            throw new UserError("cannot read image: " + e.getMessage());
        }
    }

    private static HostTensor tensor(double[][][] x, AttentionShape s) {
        return HostTensor.of(TokenMaps.flatten(x), s.batch(), s.tokens(), s.channels());
    }
}
