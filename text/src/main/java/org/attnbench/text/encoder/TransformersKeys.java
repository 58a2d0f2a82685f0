package org.attnbench.text.encoder;

import java.util.Set;

/**
 * Keys of a transformers config.json that do not change an encoder's forward pass at inference:
 * what {@code PretrainedConfig} writes for every model (older versions wrote all of its defaults,
 * generation settings included), dropout rates, initializer scales and token ids the encoder never
 * reads. Each model's reader adds its own.
 */
final class TransformersKeys {
    private TransformersKeys() {}

    static final Set<String> HARMLESS = Set.of("_name_or_path", "_commit_hash", "transformers_version", "torch_dtype",
            "dtype", "use_bfloat16", "_attn_implementation", "_attn_implementation_autoset", "return_dict",
            "output_hidden_states", "output_attentions", "torchscript", "tf_legacy_loss", "pruned_heads",
            "tie_word_embeddings", "chunk_size_feed_forward", "is_decoder", "is_encoder_decoder",
            "cross_attention_hidden_size", "add_cross_attention", "tie_encoder_decoder", "use_cache",
            "gradient_checkpointing", "finetuning_task", "id2label", "label2id", "tokenizer_class", "prefix",
            "problem_type", "task_specific_params", "bos_token_id", "pad_token_id", "sep_token_id",
            "decoder_start_token_id", "max_length", "min_length", "do_sample", "early_stopping", "num_beams",
            "num_beam_groups", "diversity_penalty", "temperature", "top_k", "top_p", "typical_p",
            "repetition_penalty", "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size",
            "bad_words_ids", "num_return_sequences", "output_scores", "return_dict_in_generate",
            "forced_bos_token_id", "forced_eos_token_id", "remove_invalid_values",
            "exponential_decay_length_penalty", "suppress_tokens", "begin_suppress_tokens");

    /** {@link #HARMLESS} and {@code more}. */
    static Set<String> harmlessAnd(String... more) {
        java.util.Set<String> all = new java.util.HashSet<>(HARMLESS);
        all.addAll(Set.of(more));
        return Set.copyOf(all);
    }
}
