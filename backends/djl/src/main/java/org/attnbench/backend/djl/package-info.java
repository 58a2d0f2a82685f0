/**
 * The DJL backend: runs ONNX graphs node by node with NDArray operations on DJL's PyTorch
 * engine. {@link org.attnbench.backend.djl.DjlBackend} is the provider;
 * {@link org.attnbench.backend.djl.DjlExecutable} holds the resident weights and runs the
 * node list; the op families ({@code ElementwiseOps}, {@code ShapeOps}, ...) register their
 * ONNX ops in {@link org.attnbench.backend.djl.OpRegistry}.
 */
package org.attnbench.backend.djl;
