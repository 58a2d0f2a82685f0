/**
 * Diffusers pipeline folders ({@code model_index.json} and one folder per component), read
 * strictly: which pipeline class, which components of which classes, where each one's weights and
 * files are (plain or a variant such as fp16, single or sharded, through Hugging Face cache links).
 */
package org.attnbench.models.pipeline;
