package org.attnbench.text.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;

/**
 * A transformers checkpoint as the encoder graphs read it: {@code model.safetensors} or the shards
 * of {@code model.safetensors.index.json} (float32, float16 or bfloat16), with transformers' own
 * conventions: the int64 {@code position_ids} buffer that older CLIP files carry is not a weight;
 * T5's embedding is {@code shared.weight}, or {@code encoder.embed_tokens.weight} (the same tied
 * tensor) where a file holds only that; and a CLIPTextModel saved by transformers 5 stores its
 * weights without the {@code text_model.} prefix that older files and CLIPTextModelWithProjection
 * keep, so both spellings are read under the prefixed one.
 */
public final class EncoderWeights {
    public static final String FILE = "model.safetensors";
    public static final String INDEX = FILE + ".index.json";
    /** What a folder is searched for, in order (diffusers' fp16 variant last). */
    private static final List<String> IN_FOLDER = List.of(FILE, INDEX, "model.fp16.safetensors",
            "model.fp16.safetensors.index.json");
    static final String T5_SHARED = "shared.weight";
    static final String T5_ENCODER_EMBED = "encoder.embed_tokens.weight";
    private static final int SHOWN = 5;

    private EncoderWeights() {}

    /** The weights in a .safetensors file, a sharded .index.json, or a folder holding either. */
    public static WeightSource open(Path fileIndexOrFolder) {
        Path path = fileIndexOrFolder;
        if (Files.isDirectory(path)) {
            path = IN_FOLDER.stream().map(fileIndexOrFolder::resolve).filter(Files::exists).findFirst()
                    .orElseThrow(() -> new UserError("text encoder folder " + fileIndexOrFolder + " has none of "
                            + String.join(", ", IN_FOLDER)));
        } else if (!Files.exists(path)) {
            throw new UserError("text encoder weights " + path + " do not exist");
        }
        return of(SafetensorsWeights.open(path));
    }

    /** {@code source} under transformers' conventions (see the class comment); null (a shape-only build) stays null. */
    public static WeightSource of(WeightSource source) {
        if (source == null) return null;
        return source instanceof Conventions ? source : new Conventions(source);
    }

    /**
     * Checks every weight {@code config} needs against {@code source} without converting any: a
     * missing tensor, one of another shape or one that is not floating point is a UserError naming
     * it. Returns a warning line for stored tensors the model does not use, or null.
     */
    public static String check(TextEncoderConfig config, WeightSource stored) {
        WeightSource source = of(stored);
        List<String> missing = new ArrayList<>();
        Map<String, long[]> expected = config.expectedWeights();
        expected.forEach((name, shape) -> {
            Optional<HostTensor> t = source.tensor(name);
            if (t.isEmpty()) {
                missing.add(name);
            } else if (!Arrays.equals(t.get().shape(), shape)) {
                throw new UserError("weight '" + name + "' has shape " + Arrays.toString(t.get().shape()) + ", expected "
                        + Arrays.toString(shape) + " for " + config.name() + " (" + source.describe() + ")");
            } else if (!t.get().dtype().isFloatingPoint()) {
                throw new UserError("weight '" + name + "' is " + t.get().dtype() + ", expected a float type ("
                        + source.describe() + ")");
            }
        });
        if (!missing.isEmpty()) {
            throw new UserError(source.describe() + " lacks " + missing.size() + " of the " + expected.size() + " weights of "
                    + config.modelClass() + " " + config.name() + ", e.g. "
                    + String.join(", ", missing.subList(0, Math.min(SHOWN, missing.size()))));
        }
        Set<String> unused = new TreeSet<>(source.names());
        unused.removeAll(expected.keySet());
        if (unused.isEmpty()) return null;
        return "warning: " + source.describe() + " has " + unused.size() + " tensors " + config.modelClass()
                + " does not use, e.g. " + String.join(", ", unused.stream().limit(SHOWN).toList());
    }

    /** The weights a config's graph reads, by name and shape, from a shape-only build. */
    static Map<String, long[]> expected(TextEncoderConfig config) {
        GraphBuilder g = new GraphBuilder("shapes");
        UNetWeights weights = new UNetWeights(g, null);
        if (config instanceof ClipTextConfig c) ClipTextGraph.layers(c, g, weights, 1, 1);
        else T5EncoderGraph.layers((T5EncoderConfig) config, g, weights, 1, 1);
        return weights.expected();
    }

    /**
     * A source seen through transformers' conventions, each stored tensor under its canonical name:
     * position_ids hidden, T5's tied embedding as shared.weight, and CLIPTextModel's weights as
     * transformers 5 saves them (without the text_model. prefix) under that prefix.
     */
    private static final class Conventions implements WeightSource {
        private static final String CLIP_PREFIX = "text_model.";
        private static final List<String> CLIP_MODULES = List.of("embeddings.", "encoder.layers.", "final_layer_norm.");

        private final WeightSource source;
        /** Canonical name to stored name. */
        private final Map<String, String> stored = new LinkedHashMap<>();

        Conventions(WeightSource source) {
            this.source = source;
            for (String name : source.names()) {
                if (isPositionIds(name)) continue;
                String canonical = name.equals(T5_ENCODER_EMBED) ? T5_SHARED
                        : CLIP_MODULES.stream().anyMatch(name::startsWith) ? CLIP_PREFIX + name : name;
                // A file holding both tied names keeps shared.weight.
                if (!stored.containsKey(canonical) || name.equals(canonical)) stored.put(canonical, name);
            }
        }

        private boolean isPositionIds(String name) {
            return name.endsWith("position_ids") && source.tensor(name).map(t -> !t.dtype().isFloatingPoint()).orElse(false);
        }

        @Override
        public Optional<HostTensor> tensor(String name) {
            String s = stored.get(name);
            return s == null ? Optional.empty() : source.tensor(s);
        }

        @Override
        public Optional<HostTensor> tensor(String name, long[] shape) {
            String s = stored.get(name);
            return s == null ? Optional.empty() : source.tensor(s, shape);
        }

        @Override
        public Set<String> names() {
            return stored.keySet();
        }

        @Override
        public String describe() {
            return source.describe();
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
