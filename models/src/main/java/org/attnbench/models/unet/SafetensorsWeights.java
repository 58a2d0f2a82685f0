package org.attnbench.models.unet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attnbench.core.Reasons;
import org.attnbench.core.UserError;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A diffusers UNet checkpoint in safetensors, memory-mapped: one file, or shards listed by
 * {@code diffusion_pytorch_model.safetensors.index.json} ({@code {"weight_map": {name: file}}}), or
 * a folder holding either ({@link WeightFiles}: also transformers' {@code model.safetensors}, and a
 * folder holding only one variant's files, such as {@code *.fp16.safetensors}). Tensors are zero-copy views in their stored dtype (fp32, fp16, bf16);
 * the builder converts them to float32. A mapping outlives {@link #close} (it is released when
 * no tensor refers to it any more), so a graph built from float32 weights stays valid after it.
 */
public final class SafetensorsWeights implements WeightSource {
    public static final String FILE = "diffusion_pytorch_model.safetensors";
    public static final String INDEX = FILE + ".index.json";

    private final String origin;
    private final Map<String, SafetensorsFile> fileOf;
    private final Map<Path, SafetensorsFile> files;

    private SafetensorsWeights(String origin, Map<String, SafetensorsFile> fileOf, Map<Path, SafetensorsFile> files) {
        this.origin = origin;
        this.fileOf = fileOf;
        this.files = files;
    }

    public static SafetensorsWeights open(Path fileOrIndexJsonOrDir) {
        Path path = Files.isDirectory(fileOrIndexJsonOrDir) ? WeightFiles.find(fileOrIndexJsonOrDir, null)
                : fileOrIndexJsonOrDir;
        String fileName = path.getFileName().toString();
        if (WeightFiles.isPickle(fileName)) throw WeightFiles.pickleError(path);
        if (fileName.endsWith(".json")) return openIndex(path);
        SafetensorsFile file = SafetensorsFile.open(path);
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        for (String name : file.names()) fileOf.put(name, file);
        return new SafetensorsWeights(path.toString(), fileOf, Map.of(path, file));
    }

    private static SafetensorsWeights openIndex(Path index) {
        JsonObject map;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(index));
            map = root.getAsJsonObject().getAsJsonObject("weight_map");
            if (map == null) throw new UserError("weights index " + index + " has no \"weight_map\"");
        } catch (IOException e) {
            throw new UserError("cannot read weights index " + index + ": " + Reasons.of(e));
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new UserError("weights index " + index + " is not {\"weight_map\": {name: file}}: " + Reasons.of(e));
        }
        Map<Path, SafetensorsFile> files = new LinkedHashMap<>();
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                Path shard = index.toAbsolutePath().getParent().resolve(e.getValue().getAsString());
                SafetensorsFile file = files.computeIfAbsent(shard, SafetensorsFile::open);
                if (!file.contains(e.getKey())) {
                    throw new UserError("weights index " + index + " maps '" + e.getKey() + "' to " + shard
                            + ", which does not hold it");
                }
                fileOf.put(e.getKey(), file);
            }
        } catch (RuntimeException e) {
            files.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsWeights(index.toString(), fileOf, files);
    }

    /** Writes tensors as one diffusers-style checkpoint file (float32 or float16 as given). */
    public static void write(Path file, Map<String, HostTensor> tensors) {
        Safetensors.write(file, tensors, Map.of("format", "pt"));
    }

    /** Writes every weight a config needs, drawn from {@code source}, in {@code dtype}. */
    public static void write(Path file, UNetConfig config, WeightSource source, DType dtype) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        UNetGraph.expectedWeights(config).forEach((name, shape) -> tensors.put(name, source.tensor(name, shape)
                .orElseThrow(() -> new UserError(source.describe() + " lacks tensor '" + name + "'")).toDType(dtype)));
        write(file, tensors);
    }

    @Override
    public Optional<HostTensor> tensor(String name) {
        SafetensorsFile file = fileOf.get(name);
        return file == null ? Optional.empty() : Optional.of(file.tensor(name));
    }

    @Override
    public Set<String> names() {
        return fileOf.keySet();
    }

    @Override
    public String describe() {
        return origin + " (" + fileOf.size() + " tensors in " + files.size() + " file" + (files.size() == 1 ? "" : "s") + ")";
    }

    @Override
    public void close() {
        files.values().forEach(SafetensorsFile::close);
    }
}
