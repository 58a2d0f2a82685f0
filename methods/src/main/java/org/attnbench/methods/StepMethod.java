package org.attnbench.methods;

import org.attnbench.models.diffusion.Denoiser;

/**
 * A method that cuts the work across the steps of a denoising loop by reusing what an earlier step
 * computed (DeepCache, first-block caching): one class that owns its step plan. It runs on top of
 * the variant's token method, whose patch every graph it asks for carries.
 */
public interface StepMethod extends Method {
    /** A UserError, in one line naming the model and why, unless the method applies to it. */
    void check(Denoiser model);

    /**
     * The plan for a loop over {@code timesteps} on {@code model}, every graph under the token
     * method's patch at its step's timestep.
     */
    StepPlan plan(Denoiser model, TokenMethod tokens, double[] timesteps);
}
