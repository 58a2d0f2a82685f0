/**
 * Text encoders as graphs, in transformers' weight names and config keys: CLIP's text model
 * (with and without projection) and T5's encoder, each with a float64 reference.
 */
package org.attnbench.text.encoder;
