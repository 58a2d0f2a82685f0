/**
 * Plain-Java float64 reference of the attention variants under test: dense self-attention,
 * ToDo (key/value downsampling), ToMe (token merging) and ToMe on K/V only.
 *
 * <p>Written for clarity, not speed: every tensor is a {@code double[]} array nest, every loop is
 * explicit, and every place where the upstream code (diffusers, tomesd, the ToDo repository)
 * leaves a choice (rounding, tie order, random stream) says which choice is made and why. Graph
 * builds and backends are checked against {@link org.attnbench.models.reference.ReferenceBlock}.
 */
package org.attnbench.models.reference;
