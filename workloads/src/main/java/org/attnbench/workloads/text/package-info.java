/** Text encoders run on a backend: prompts' token ids to the states a denoiser is conditioned on. */
package org.attnbench.workloads.text;
