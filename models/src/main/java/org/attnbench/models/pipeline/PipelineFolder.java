package org.attnbench.models.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.WeightFiles;

/**
 * A diffusers pipeline folder: {@code model_index.json} at its root naming the pipeline's class and
 * each component's library and class, one subfolder per component. It may be a Hugging Face cache
 * snapshot, whose files are symbolic links into its blobs. Read strictly: an unsupported pipeline
 * class is refused when the folder is opened; a component is checked (listed, present on disk, of a
 * class attnbench loads) when a user of the folder {@link #require}s it, before anything runs, so a
 * folder without a VAE can still encode prompts.
 */
public final class PipelineFolder {
    public static final String INDEX = "model_index.json";

    private final Path root;
    private final PipelineKind kind;
    private final String variant;
    /** Every component model_index.json lists, in its order; an absent one ([null, null]) maps to null. */
    private final Map<String, String> classes;
    private final boolean forceZerosForEmptyPrompt;

    private PipelineFolder(Path root, PipelineKind kind, String variant, Map<String, String> classes,
                           boolean forceZerosForEmptyPrompt) {
        this.root = root;
        this.kind = kind;
        this.variant = variant;
        this.classes = classes;
        this.forceZerosForEmptyPrompt = forceZerosForEmptyPrompt;
    }

    /** Opens the folder with its plain weights (or the one variant a component holds). */
    public static PipelineFolder open(Path root) {
        return open(root, null);
    }

    /** Opens the folder; {@code variant} (e.g. "fp16") picks {@code *.fp16.safetensors} in every component, null the plain files. */
    public static PipelineFolder open(Path root, String variant) {
        if (!Files.isDirectory(root)) throw new UserError("pipeline folder " + root + " does not exist or is not a folder");
        Path index = root.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new UserError(root + " is not a diffusers pipeline folder: it has no " + INDEX);
        }
        JsonObject json = JsonFiles.readObject(index, "pipeline index");
        JsonElement name = json.get("_class_name");
        if (name == null || !name.isJsonPrimitive()) throw new UserError(index + " has no \"_class_name\"");
        PipelineKind kind = PipelineKind.of(name.getAsString());
        Map<String, String> classes = new LinkedHashMap<>();
        Boolean forceZeros = null;
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("_")) continue; // _class_name, _diffusers_version, _name_or_path
            JsonElement value = e.getValue();
            if (value.isJsonArray()) {
                classes.put(key, componentClass(index, key, value.getAsJsonArray()));
            } else if (key.equals("force_zeros_for_empty_prompt")) {
                if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
                    throw new UserError(index + ": force_zeros_for_empty_prompt must be true or false, got " + value);
                }
                forceZeros = value.getAsBoolean();
            }
            // other scalars (requires_safety_checker, add_watermarker, ...) configure parts attnbench does not run
        }
        if (variant != null && !variant.matches("[A-Za-z0-9_]+")) {
            throw new UserError("variant '" + variant + "' is not a weights variant name such as fp16");
        }
        return new PipelineFolder(root, kind, variant, classes, forceZeros == null || forceZeros);
    }

    /** A component entry: [library, class], or [null, null] for a component the pipeline runs without. */
    private static String componentClass(Path index, String key, JsonArray entry) {
        if (entry.size() == 2 && entry.get(0).isJsonNull() && entry.get(1).isJsonNull()) return null;
        if (entry.size() != 2 || !entry.get(0).isJsonPrimitive() || !entry.get(1).isJsonPrimitive()) {
            throw new UserError(index + ": component '" + key + "' must be [library, class] or [null, null], got " + entry);
        }
        return entry.get(1).getAsString();
    }

    public Path root() {
        return root;
    }

    /** The pipeline's diffusers class, e.g. StableDiffusionXLPipeline. */
    public String pipelineClass() {
        return kind.className();
    }

    public PipelineKind kind() {
        return kind;
    }

    /** model_index.json's force_zeros_for_empty_prompt, true when absent (SDXL's register_to_config default). */
    public boolean forceZerosForEmptyPrompt() {
        return forceZerosForEmptyPrompt;
    }

    /** The weights variant asked for, or null. */
    public String variant() {
        return variant;
    }

    /** Whether model_index.json lists {@code name} as a component that is present (not [null, null]). */
    public boolean has(String name) {
        return classes.get(name) != null;
    }

    /** The components model_index.json lists as present, in its order. */
    public List<String> components() {
        return classes.keySet().stream().filter(this::has).toList();
    }

    /** The class model_index.json gives {@code name}, e.g. CLIPTextModelWithProjection. */
    public String componentClass(String name) {
        String cls = classes.get(name);
        if (cls == null) {
            throw new UserError(root.resolve(INDEX) + (classes.containsKey(name)
                    ? " lists component '" + name + "' as absent ([null, null]), but the " + kind.className() + " needs it"
                    : " lists no component '" + name + "', which the " + kind.className() + " needs"));
        }
        return cls;
    }

    /** The component's folder, checked as {@link #require} checks it. */
    public Path component(String name) {
        require(List.of(name));
        return root.resolve(name);
    }

    /** The file of the component's weights (a safetensors file or a sharded index), for the project's weight readers. */
    public Path weights(String name) {
        return WeightFiles.find(component(name), variant);
    }

    /** A file in the component's folder that must be there, e.g. scheduler/scheduler_config.json. */
    public Path file(String name, String fileName) {
        Path file = LinkStandIn.resolve(component(name).resolve(fileName));
        if (!Files.isRegularFile(file)) throw new UserError("component " + name + " of " + root + " has no " + fileName);
        return file;
    }

    /**
     * Checks, before anything runs, that each named component is listed, present on disk and of a
     * class attnbench loads; the first that is not is refused by name.
     */
    public void require(List<String> names) {
        for (String name : names) {
            String cls = componentClass(name);
            ComponentRole role = ComponentRole.of(name);
            if (role != null && !role.classes().contains(cls)) {
                throw new UserError("component " + name + " of " + root + " is of class " + cls + ", which attnbench does not load"
                        + " (" + role.describe() + ": " + String.join(", ", role.classes()) + ")");
            }
            if (!Files.isDirectory(root.resolve(name))) {
                throw new UserError("pipeline folder " + root + " lacks its component folder " + name + "/ (" + cls
                        + ", listed in " + INDEX + ")");
            }
        }
    }

    /** scheduler/scheduler_config.json. */
    public Path schedulerConfig() {
        return file("scheduler", "scheduler_config.json");
    }

    /** The denoiser's component name: unet or transformer. */
    public String denoiser() {
        return kind.denoiser();
    }

    /** The text encoders this pipeline class runs, in its order (text_encoder, text_encoder_2, ...). */
    public List<String> textEncoders() {
        return kind.textEncoders();
    }

    /** The tokenizer of each text encoder, in the same order. */
    public List<String> tokenizers() {
        return kind.textEncoders().stream().map(PipelineKind::tokenizerOf).toList();
    }

    @Override
    public String toString() {
        return kind.className() + " at " + root;
    }
}
