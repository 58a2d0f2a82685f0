/**
 * The acceleration methods, each one plug-in that owns its seams, apart from the networks they act
 * on ({@code models}): the method SPI ({@link org.attnbench.methods.Method}, {@link
 * org.attnbench.methods.TokenMethod}), the registry of every method by the name users write
 * ({@link org.attnbench.methods.Methods}), and a spec parsed once into a typed {@link
 * org.attnbench.methods.Variant}.
 *
 * <p>A token method ({@code methods.token}) gives the networks a {@link
 * org.attnbench.models.attention.TokenPatch}: per transformer block a {@link
 * org.attnbench.models.attention.BlockMethod}, which is both the block's graph rewrite and its
 * float64 twin, so the references call a method the way the graphs do and nothing outside a method
 * asks which method it is.
 */
package org.attnbench.methods;
