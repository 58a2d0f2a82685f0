/**
 * Feature extractors for FID-like scores: images in, [N, D] feature rows out, on any backend.
 * {@link org.attnbench.workloads.features.FeatureExtractors} opens one by name:
 * {@code nsfwjs-inception-v3}, the offline default (nsfwjs's InceptionV3 built by
 * {@link org.attnbench.models.inception}), or {@code onnx}, a user's own ONNX image model (the
 * standard FID Inception, when the user has it). Both share one preprocessing
 * ({@link org.attnbench.workloads.features.Preprocessing}). The scores themselves are computed in
 * {@code org.attnbench.metrics.features}, which never runs graphs.
 */
package org.attnbench.workloads.features;
