package org.attnbench.workloads.text;

import static org.attnbench.text.encoder.TextEncoderConfig.LAST_HIDDEN_STATE;
import static org.attnbench.text.encoder.TextEncoderConfig.PENULTIMATE_HIDDEN_STATE;
import static org.attnbench.text.encoder.TextEncoderConfig.POOLER_OUTPUT;
import static org.attnbench.text.encoder.TextEncoderConfig.TEXT_EMBEDS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.attnbench.core.UserError;
import org.attnbench.metrics.cost.MemoryEstimate;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.models.pipeline.PipelineKind;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.TextEncoderConfig;
import org.attnbench.text.tokenizer.PromptTokenizer;
import org.attnbench.text.tokenizer.TokenBatch;
import org.attnbench.text.tokenizer.Tokenizers;

/**
 * Prompts to the tensors a pipeline's denoiser is conditioned on, by the rules of diffusers v0.40's
 * {@code encode_prompt} for the pipeline's class, in the pipelines' own names:
 * <ul>
 * <li>Stable Diffusion 1.x/2.x: the CLIP encoder's last hidden state;</li>
 * <li>SDXL: both CLIP encoders' penultimate hidden states side by side, pooled = the second's
 * {@code text_embeds}; with {@code force_zeros_for_empty_prompt} and no negative prompt given the
 * negative tensors are zeros (a negative prompt given, even "", is encoded);</li>
 * <li>SD3: CLIP-L's and CLIP-G's penultimate states side by side, zero-padded to T5's width, T5's
 * states (unmasked) appended along the sequence; pooled = both CLIPs' {@code text_embeds} side by side;</li>
 * <li>Flux: T5's states (unmasked), pooled = the CLIP encoder's {@code pooler_output};</li>
 * <li>PixArt-α/Σ: the prompt lower-cased and stripped (clean_caption off), T5's states under its
 * attention mask, the masks returned too.</li>
 * </ul>
 * Without a negative prompt the negative is "" (the pipelines' {@code negative_prompt=None}), one for
 * every prompt. CLIP takes its tokenizer's {@code model_max_length} (SD3 and Flux: the first
 * tokenizer's, for both CLIPs), T5 the pipeline class's length unless one is given. A prompt longer
 * than its length is cut with a one-line warning, as diffusers does. The text encoders run one after
 * another, each closed before the next opens.
 */
public final class PromptEncoder {
    public static final String PROMPT_EMBEDS = "prompt_embeds";
    public static final String NEGATIVE_PROMPT_EMBEDS = "negative_prompt_embeds";
    public static final String POOLED_PROMPT_EMBEDS = "pooled_prompt_embeds";
    public static final String NEGATIVE_POOLED_PROMPT_EMBEDS = "negative_pooled_prompt_embeds";
    public static final String PROMPT_ATTENTION_MASK = "prompt_attention_mask";
    public static final String NEGATIVE_PROMPT_ATTENTION_MASK = "negative_prompt_attention_mask";
    /** input_ids (tokenizer/), input_ids_2 (tokenizer_2/), input_ids_3 (tokenizer_3/): the positive prompts' ids. */
    public static final String INPUT_IDS = "input_ids";

    private static final String T5 = "T5EncoderModel";
    /** CLIP's usual model_max_length, for estimates made without opening a tokenizer. */
    private static final int CLIP_LENGTH = 77;

    private final PipelineFolder folder;
    private final TextEncoders encoders;
    private final int t5Length;
    private final Consumer<String> warnings;

    private PromptEncoder(PipelineFolder folder, TextEncoders encoders, int t5Length, Consumer<String> warnings) {
        this.folder = folder;
        this.encoders = encoders;
        this.t5Length = t5Length;
        this.warnings = warnings;
    }

    /**
     * The prompt encoder of a pipeline folder, its text components checked before anything runs.
     * {@code maxSequenceLength} overrides the T5 length (null: the pipeline class's); warnings (a
     * prompt cut to its length) go to {@code warnings}, one line each.
     */
    public static PromptEncoder of(PipelineFolder folder, TextEncoders encoders, Integer maxSequenceLength,
                                   Consumer<String> warnings) {
        List<String> components = new ArrayList<>(folder.textEncoders());
        components.addAll(folder.tokenizers());
        folder.require(components);
        for (String te : folder.textEncoders()) encoders.check(te);
        boolean hasT5 = folder.textEncoders().stream().anyMatch(te -> folder.componentClass(te).equals(T5));
        if (maxSequenceLength != null && !hasT5) {
            throw new UserError("--max-sequence-length sets the T5 prompt length; a " + folder.pipelineClass()
                    + " has no T5 encoder (its CLIP length is its tokenizer's model_max_length)");
        }
        if (maxSequenceLength != null && maxSequenceLength < 1) {
            throw new UserError("--max-sequence-length must be at least 1, got " + maxSequenceLength);
        }
        int t5Length = maxSequenceLength != null ? maxSequenceLength : folder.kind().defaultT5Length();
        return new PromptEncoder(folder, encoders, t5Length, warnings);
    }

    /**
     * Every tensor the pipeline hands its denoiser for {@code prompts}, and one negative prompt for
     * each of them ({@code negativeOrNull}: null when none is given).
     */
    public Map<String, HostTensor> encode(List<String> prompts, String negativeOrNull) {
        if (prompts.isEmpty()) throw new UserError("no prompts to encode");
        PipelineKind kind = folder.kind();
        boolean zeroNegative = negativeOrNull == null && kind == PipelineKind.STABLE_DIFFUSION_XL
                && folder.forceZerosForEmptyPrompt();
        List<String> positives = prepare(prompts);
        List<String> negatives = zeroNegative ? null
                : prepare(Collections.nCopies(prompts.size(), negativeOrNull == null ? "" : negativeOrNull));
        // Every tokenizer first, so a malformed tokenizer file is refused before any encoder runs.
        List<Tokens> tokens = new ArrayList<>();
        int firstClipLength = -1;
        for (String te : folder.textEncoders()) {
            String tokenizerName = PipelineKind.tokenizerOf(te);
            boolean t5 = folder.componentClass(te).equals(T5);
            try (PromptTokenizer tokenizer = Tokenizers.open(folder.component(tokenizerName), folder.componentClass(tokenizerName))) {
                int length;
                if (t5) {
                    length = t5Length;
                } else {
                    boolean shared = kind == PipelineKind.STABLE_DIFFUSION_3 || kind == PipelineKind.FLUX;
                    length = shared && firstClipLength > 0 ? firstClipLength : tokenizer.modelMaxLength();
                    if (firstClipLength < 0) firstClipLength = length;
                }
                TokenBatch positive = tokenizer.encode(positives, length);
                warnTruncated(positive, tokenizerName, length, t5);
                TokenBatch negative = negatives == null ? null : tokenizer.encode(negatives, length);
                if (negative != null) warnTruncated(negative, tokenizerName + " (negative prompt)", length, t5);
                tokens.add(new Tokens(te, tokenizerName, t5 && isPixArt(kind), positive, negative));
            }
        }
        List<Encoded> encoded = new ArrayList<>();
        for (Tokens t : tokens) {
            try (TextEncoders.Session session = encoders.open(t.encoder())) {
                Map<String, HostTensor> pos = encodeEach(session, t.positive().ids(), t.masked() ? t.positive().mask() : null);
                Map<String, HostTensor> neg = t.negative() == null ? null
                        : encodeEach(session, t.negative().ids(), t.masked() ? t.negative().mask() : null);
                encoded.add(new Encoded(t.tokenizer(), t.positive(), t.negative(), pos, neg));
            }
        }
        return assemble(kind, encoded);
    }

    /**
     * The encoder's outputs for ids [P, L], each prompt run alone: a prompt's states then do not
     * depend on which prompts were encoded with it (a runtime's kernels may round a batch of 8 and a
     * batch of 1 differently), only one prompt's activations are alive at once, and a repeated row
     * (the one negative prompt of every prompt) runs once.
     */
    private static Map<String, HostTensor> encodeEach(TextEncoders.Session session, long[][] ids, long[][] maskOrNull) {
        Map<String, Map<String, HostTensor>> done = new HashMap<>();
        List<Map<String, HostTensor>> rows = new ArrayList<>();
        for (int p = 0; p < ids.length; p++) {
            long[][] one = {ids[p]};
            long[][] mask = maskOrNull == null ? null : new long[][] {maskOrNull[p]};
            String key = Arrays.toString(ids[p]) + (mask == null ? "" : Arrays.toString(mask[0]));
            rows.add(done.computeIfAbsent(key, k -> session.encode(one, mask)));
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String name : rows.get(0).keySet()) out.put(name, EmbeddingOps.stackRows(rows.stream().map(r -> r.get(name)).toList()));
        return out;
    }

    /**
     * The memory encoding needs, from the configs alone: the largest of the pipeline's text encoders
     * (one is held at a time), its weights in float32 and one prompt's activations at its length.
     */
    public MemoryEstimate memory() {
        MemoryEstimate worst = null;
        for (String te : folder.textEncoders()) {
            TextEncoderConfig config = TextEncoderConfig.read(folder.file(te, TextEncoders.CONFIG));
            int length = folder.componentClass(te).equals(T5) ? t5Length : Math.min(config.maxLength(), CLIP_LENGTH);
            MemoryEstimate e = MemoryEstimate.of(config.graph(null, 1, length).proto());
            if (worst == null || e.totalBytes() > worst.totalBytes()) worst = e;
        }
        return worst;
    }

    /** One tokenizer's ids for the positive and (unless zeros) the negative prompts, and whether its encoder takes the mask. */
    private record Tokens(String encoder, String tokenizer, boolean masked, TokenBatch positive, TokenBatch negative) {}

    /** What one text encoder gave for the positive and (unless zeros) the negative prompts. */
    private record Encoded(String tokenizer, TokenBatch positive, TokenBatch negative,
                           Map<String, HostTensor> pos, Map<String, HostTensor> neg) {
        HostTensor pos(String output) {
            return output(pos, output);
        }

        HostTensor neg(String output) {
            return output(neg, output);
        }

        private HostTensor output(Map<String, HostTensor> outputs, String name) {
            HostTensor t = outputs.get(name);
            if (t == null) {
                throw new UserError("the pipeline needs the " + name + " of its text encoder beside " + tokenizer
                        + ", which gives only " + String.join(", ", outputs.keySet()));
            }
            return t;
        }
    }

    private Map<String, HostTensor> assemble(PipelineKind kind, List<Encoded> e) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        switch (kind) {
            case STABLE_DIFFUSION -> {
                out.put(PROMPT_EMBEDS, e.get(0).pos(LAST_HIDDEN_STATE));
                out.put(NEGATIVE_PROMPT_EMBEDS, e.get(0).neg(LAST_HIDDEN_STATE));
            }
            case STABLE_DIFFUSION_XL -> {
                HostTensor prompt = EmbeddingOps.concatFeatures(e.get(0).pos(PENULTIMATE_HIDDEN_STATE), e.get(1).pos(PENULTIMATE_HIDDEN_STATE));
                HostTensor pooled = e.get(1).pos(TEXT_EMBEDS);
                boolean zeros = e.get(0).neg() == null;
                out.put(PROMPT_EMBEDS, prompt);
                out.put(NEGATIVE_PROMPT_EMBEDS, zeros ? EmbeddingOps.zerosLike(prompt)
                        : EmbeddingOps.concatFeatures(e.get(0).neg(PENULTIMATE_HIDDEN_STATE), e.get(1).neg(PENULTIMATE_HIDDEN_STATE)));
                out.put(POOLED_PROMPT_EMBEDS, pooled);
                out.put(NEGATIVE_POOLED_PROMPT_EMBEDS, zeros ? EmbeddingOps.zerosLike(pooled) : e.get(1).neg(TEXT_EMBEDS));
            }
            case STABLE_DIFFUSION_3 -> {
                out.put(PROMPT_EMBEDS, sd3States(e.get(0).pos(PENULTIMATE_HIDDEN_STATE), e.get(1).pos(PENULTIMATE_HIDDEN_STATE),
                        e.get(2).pos(LAST_HIDDEN_STATE)));
                out.put(NEGATIVE_PROMPT_EMBEDS, sd3States(e.get(0).neg(PENULTIMATE_HIDDEN_STATE), e.get(1).neg(PENULTIMATE_HIDDEN_STATE),
                        e.get(2).neg(LAST_HIDDEN_STATE)));
                out.put(POOLED_PROMPT_EMBEDS, EmbeddingOps.concatFeatures(e.get(0).pos(TEXT_EMBEDS), e.get(1).pos(TEXT_EMBEDS)));
                out.put(NEGATIVE_POOLED_PROMPT_EMBEDS, EmbeddingOps.concatFeatures(e.get(0).neg(TEXT_EMBEDS), e.get(1).neg(TEXT_EMBEDS)));
            }
            case FLUX -> {
                out.put(PROMPT_EMBEDS, e.get(1).pos(LAST_HIDDEN_STATE));
                out.put(NEGATIVE_PROMPT_EMBEDS, e.get(1).neg(LAST_HIDDEN_STATE));
                out.put(POOLED_PROMPT_EMBEDS, e.get(0).pos(POOLER_OUTPUT));
                out.put(NEGATIVE_POOLED_PROMPT_EMBEDS, e.get(0).neg(POOLER_OUTPUT));
            }
            case PIXART_ALPHA, PIXART_SIGMA -> {
                out.put(PROMPT_EMBEDS, e.get(0).pos(LAST_HIDDEN_STATE));
                out.put(PROMPT_ATTENTION_MASK, e.get(0).positive().maskTensor());
                out.put(NEGATIVE_PROMPT_EMBEDS, e.get(0).neg(LAST_HIDDEN_STATE));
                out.put(NEGATIVE_PROMPT_ATTENTION_MASK, e.get(0).negative().maskTensor());
            }
        }
        for (Encoded encoded : e) {
            out.put(INPUT_IDS + encoded.tokenizer().substring("tokenizer".length()), encoded.positive().idsTensor());
        }
        return out;
    }

    /** SD3: both CLIPs' states side by side, zero-padded to T5's width, then T5's states along the sequence. */
    private static HostTensor sd3States(HostTensor clipL, HostTensor clipG, HostTensor t5) {
        HostTensor clip = EmbeddingOps.concatFeatures(clipL, clipG);
        long[] t5Shape = t5.shape();
        return EmbeddingOps.concatSequence(EmbeddingOps.padFeatures(clip, (int) t5Shape[t5Shape.length - 1]), t5);
    }

    /** The text each pipeline tokenizes: PixArt's lower-cased and stripped (its clean_caption=False path), the others' as given. */
    private List<String> prepare(List<String> texts) {
        return isPixArt(folder.kind()) ? texts.stream().map(PythonText::lowerStrip).toList() : texts;
    }

    private static boolean isPixArt(PipelineKind kind) {
        return kind == PipelineKind.PIXART_ALPHA || kind == PipelineKind.PIXART_SIGMA;
    }

    private void warnTruncated(TokenBatch batch, String tokenizer, int length, boolean t5) {
        for (int p = 0; p < batch.size(); p++) {
            String cut = batch.truncated().get(p);
            if (cut.isEmpty()) continue;
            warnings.accept("warning: prompt " + (p + 1) + " is longer than " + length + " tokens of " + tokenizer
                    + (t5 ? " (--max-sequence-length)" : "") + "; this part was cut: "
                    + PythonText.oneLine(cut));
        }
    }
}
