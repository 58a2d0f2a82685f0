/**
 * The ONNX Runtime backend: runs attnbench graphs unchanged in an {@code OrtSession}, on the CPU
 * execution provider or, when a CUDA device is chosen, the CUDA execution provider.
 */
package org.attnbench.backend.onnxruntime;
