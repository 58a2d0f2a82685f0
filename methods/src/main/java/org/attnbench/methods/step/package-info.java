/**
 * Step plans: what a denoising loop runs at each step. {@link org.attnbench.methods.step.EveryStep}
 * is the plan of a variant without a cross-step method (the whole model under the token method's
 * patch of each timestep); the cross-step methods each plan their own.
 */
package org.attnbench.methods.step;
