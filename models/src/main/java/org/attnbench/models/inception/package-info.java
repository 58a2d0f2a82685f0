/**
 * The offline image-feature network: nsfwjs's Keras InceptionV3 (read through
 * {@link org.attnbench.models.keras}) as an ONNX graph whose features stand in for the FID
 * Inception's where those weights cannot be had. Scores from it are FID-like, not FID.
 */
package org.attnbench.models.inception;
