/**
 * Text encoders as graphs, in transformers' weight names and config keys: CLIP's text model (with
 * and without projection) and T5 v1.1's encoder, read from a transformers folder (config.json read
 * strictly; model.safetensors or its shards in float32, float16 or bfloat16), built for the
 * (prompts, length) asked. Beside them, CLIP's image tower ({@code ClipVisionGraph}) and the
 * CLIPModel config that holds both towers ({@code ClipModelConfig}), for CLIP score. Their float64
 * twins are in {@code org.attnbench.text.reference}.
 */
package org.attnbench.text.encoder;
