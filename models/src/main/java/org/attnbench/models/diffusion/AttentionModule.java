package org.attnbench.models.diffusion;

/**
 * One attention module of a network, as diffusers names it ({@code transformer_blocks.3.attn1},
 * {@code down_blocks.1.attentions.0.transformer_blocks.0.attn2}): what a method that carries
 * module outputs across steps ({@link GraphForm.ModuleOutputs}) can choose from.
 *
 * @param name the module's dotted name in diffusers' {@code named_modules()}
 * @param crossAttention whether diffusers' module says {@code is_cross_attention} (its keys and
 *     values are the prompt's states: a UNet's and PixArt's {@code attn2}); an MMDiT's joint
 *     attention is not one
 * @param outputs how many tensors the graph carries for it: 1, or 2 where it also gives the text
 *     tokens' output (an MMDiT's joint attention, but in SD3's last block, whose text output feeds nothing)
 */
public record AttentionModule(String name, boolean crossAttention, int outputs) {}
