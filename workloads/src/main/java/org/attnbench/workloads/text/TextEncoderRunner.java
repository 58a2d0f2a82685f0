package org.attnbench.workloads.text;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.SharedWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.EncoderWeights;
import org.attnbench.text.encoder.TextEncoderConfig;

/**
 * A transformers text encoder (CLIPTextModel, CLIPTextModelWithProjection or T5EncoderModel) on a
 * backend. Its weights are checked when it opens; a graph is built and compiled for each
 * (prompts, length) asked, once, and every graph reads the same float32 weights, so a backend holds
 * them once. Closing it lets the weights go, on the host and in the backend, so a pipeline can read
 * its denoiser after its encoders without holding both.
 */
public final class TextEncoderRunner implements AutoCloseable {
    private record Shape(int prompts, int length) {}

    private final TextEncoderConfig config;
    private final WeightSource files;
    private final SharedWeights weights;
    private final Backend backend;
    private final Device device;
    private final Map<Shape, Executable> compiled = new HashMap<>();
    private boolean closed;

    private TextEncoderRunner(TextEncoderConfig config, WeightSource files, Backend backend, Device device) {
        this.config = config;
        this.files = files;
        this.weights = SharedWeights.of(files);
        this.backend = backend;
        this.device = device;
    }

    /** A transformers text-encoder folder's config.json and its weights (a .safetensors file, a sharded .index.json, or the folder), compiled on a backend. */
    public static TextEncoderRunner open(Path configJson, Path weights, Backend backend, Device device) {
        TextEncoderConfig config = TextEncoderConfig.read(configJson);
        Backends.requireAvailable(backend, device);
        WeightSource files = EncoderWeights.open(weights);
        try {
            String warning = EncoderWeights.check(config, files);
            if (warning != null) System.err.println(warning);
            return new TextEncoderRunner(config, files, backend, device);
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /**
     * {@code config}'s encoder over {@code files}, which the caller has checked (a CLIPModel's text
     * tower reads its weights from the whole model's file); the runner closes them.
     */
    public static TextEncoderRunner open(TextEncoderConfig config, WeightSource files, Backend backend, Device device) {
        Backends.requireAvailable(backend, device);
        return new TextEncoderRunner(config, files, backend, device);
    }

    /** "CLIPTextModel", "CLIPTextModelWithProjection" or "T5EncoderModel" (from the config's architectures / model_type). */
    public String modelClass() {
        return config.modelClass();
    }

    /** The encoder's config (widths, vocabulary, longest sequence). */
    public TextEncoderConfig config() {
        return config;
    }

    /**
     * Float32 host tensors by name for ids [P, L] (and a mask [P, L], or null: every token attends):
     * "last_hidden_state", and for CLIP also "penultimate_hidden_state", "pooler_output", and with
     * projection "text_embeds".
     */
    public synchronized Map<String, HostTensor> encode(long[][] ids, long[][] attentionMaskOrNull) {
        if (closed) throw new IllegalStateException("text encoder " + config.name() + " is closed");
        Shape shape = check(ids, attentionMaskOrNull);
        Executable exe = compiled.computeIfAbsent(shape,
                s -> backend.compile(config.graph(weights, s.prompts(), s.length()), device, CompileOptions.DEFAULT));
        Map<String, HostTensor> inputs = Map.of(TextEncoderConfig.INPUT_IDS, matrix(ids, shape),
                TextEncoderConfig.ATTENTION_MASK, attentionMaskOrNull == null ? ones(shape) : matrix(attentionMaskOrNull, shape));
        Map<String, HostTensor> out = exe.run(inputs);
        Map<String, HostTensor> ordered = new LinkedHashMap<>();
        for (String name : config.outputs()) ordered.put(name, out.get(name));
        return ordered;
    }

    /** The (P, L) of the ids, once they and the mask are found well formed. */
    private Shape check(long[][] ids, long[][] mask) {
        if (ids.length == 0 || ids[0].length == 0) throw new UserError("no token ids to encode");
        int length = ids[0].length;
        if (length > config.maxLength()) {
            throw new UserError(config.modelClass() + " " + config.name() + " takes at most " + config.maxLength()
                    + " tokens (max_position_embeddings), got " + length);
        }
        for (int p = 0; p < ids.length; p++) {
            if (ids[p].length != length) {
                throw new UserError("token ids of prompt " + p + " are " + ids[p].length + " long, prompt 0's " + length
                        + "; every prompt must be padded to one length");
            }
            for (int t = 0; t < length; t++) {
                if (ids[p][t] < 0 || ids[p][t] >= config.vocabSize()) {
                    throw new UserError("token id " + ids[p][t] + " (prompt " + p + ", position " + t + ") is outside "
                            + config.name() + "'s vocabulary of " + config.vocabSize());
                }
            }
        }
        if (mask != null) {
            if (mask.length != ids.length) {
                throw new UserError("attention mask has " + mask.length + " rows for " + ids.length + " prompts");
            }
            for (int p = 0; p < mask.length; p++) {
                if (mask[p].length != length) {
                    throw new UserError("attention mask row " + p + " is " + mask[p].length + " long, the ids " + length);
                }
                for (long m : mask[p]) {
                    if (m != 0 && m != 1) throw new UserError("attention mask values must be 0 or 1, got " + m);
                }
            }
        }
        return new Shape(ids.length, length);
    }

    private static HostTensor matrix(long[][] rows, Shape s) {
        long[] flat = new long[s.prompts() * s.length()];
        for (int p = 0; p < s.prompts(); p++) System.arraycopy(rows[p], 0, flat, p * s.length(), s.length());
        return HostTensor.of(flat, s.prompts(), s.length());
    }

    private static HostTensor ones(Shape s) {
        long[] flat = new long[s.prompts() * s.length()];
        java.util.Arrays.fill(flat, 1);
        return HostTensor.of(flat, s.prompts(), s.length());
    }

    /** The (prompts, length) shapes compiled so far. */
    synchronized int compiledGraphs() {
        return compiled.size();
    }

    /** Lets the weights go (host and backend). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        List<Executable> all = List.copyOf(compiled.values());
        compiled.clear();
        all.forEach(Executable::close);
        weights.close();
        files.close();
    }
}
