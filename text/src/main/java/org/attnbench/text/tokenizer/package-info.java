/**
 * Tokenizers as diffusers' pipelines use them: CLIP's byte-level BPE and T5's SentencePiece,
 * read from a pipeline's {@code tokenizer*} folders, giving ids and attention masks.
 */
package org.attnbench.text.tokenizer;
