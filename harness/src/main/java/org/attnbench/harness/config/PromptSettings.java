package org.attnbench.harness.config;

import org.attnbench.workloads.PromptSamples;
import org.attnbench.workloads.text.PromptSet;

/**
 * The prompts every denoising cell of a sweep samples ({@code prompts:}), each encoded once per run
 * by each pipeline's text encoders.
 *
 * @param set the prompts, in order, and the name rows and reports give them
 * @param negativePrompt the negative prompt of every prompt, or null for the pipeline's default
 *     ("", or zeros for SDXL with force_zeros_for_empty_prompt)
 * @param imagesPerPrompt images per prompt: image k of every prompt starts from noise seed
 *     {@code seed + k} (the sweep's seed; {@link PromptSamples#seed})
 * @param maxSequenceLength the T5 length (SD3, Flux, PixArt), or null for the pipeline's
 */
public record PromptSettings(PromptSet set, String negativePrompt, int imagesPerPrompt, Integer maxSequenceLength) {
    /** Images each cell samples. */
    public int images() {
        return set.size() * imagesPerPrompt;
    }

    /** "coco-captions (500 prompts x 2 images)": what rows and reports call the set. */
    public String describe() {
        return set.name() + " (" + set.size() + " prompt" + (set.size() == 1 ? "" : "s") + " x " + imagesPerPrompt + " image"
                + (imagesPerPrompt == 1 ? "" : "s") + ")";
    }
}
