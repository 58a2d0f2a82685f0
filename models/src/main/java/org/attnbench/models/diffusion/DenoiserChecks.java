package org.attnbench.models.diffusion;

import org.attnbench.core.UserError;

/** Checks every {@link Denoiser} makes of what it is built for. */
final class DenoiserChecks {
    private DenoiserChecks() {}

    static void tokens(int tokens) {
        if (tokens < 1) throw new UserError("prompt states need at least one token, got " + tokens);
    }
}
