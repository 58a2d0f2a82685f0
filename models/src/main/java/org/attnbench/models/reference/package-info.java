/**
 * Plain-Java float64 references of the networks: the attention block ({@link
 * org.attnbench.models.reference.ReferenceBlock}), PixArt, SD3 and Flux, each calling a method's
 * float64 twin ({@link org.attnbench.models.attention.BlockMethod#selfAttention}) where its graph calls
 * the method's rewrite, through a {@link org.attnbench.models.reference.ReferenceLayer}.
 *
 * <p>Written for clarity, not speed: every tensor is a {@code double[]} array nest, every loop is
 * explicit, and every place where the upstream code (diffusers) leaves a choice says which choice is
 * made and why. Graph builds and backends are checked against these.
 */
package org.attnbench.models.reference;
