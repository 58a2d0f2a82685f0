package org.attnbench.models.unet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.attnbench.core.UserError;

/**
 * Which file of a model folder holds its weights, as diffusers ({@code diffusion_pytorch_model})
 * and transformers ({@code model}) name them: one safetensors file or a sharded index, plain or of
 * a variant ({@code .fp16.safetensors}, {@code .safetensors.index.fp16.json}: diffusers'
 * {@code _add_variant}). Without a variant the plain files win; a folder holding one variant only
 * loads it without being told, as a user who downloaded only fp16 files expects.
 */
public final class WeightFiles {
    /** diffusers' models' base name, then transformers'. */
    private static final List<String> BASES = List.of("diffusion_pytorch_model", "model");
    private static final List<String> PICKLES = List.of(".bin", ".ckpt", ".pt", ".pth", ".pkl");
    private static final Pattern SHARD = Pattern.compile(".*-\\d+-of-\\d+");

    private WeightFiles() {}

    /** The weights file (or index) of {@code folder}; {@code variant} (e.g. "fp16") or null for the plain files. */
    public static Path find(Path folder, String variant) {
        for (String base : BASES) {
            Path file = folder.resolve(base + (variant == null ? "" : "." + variant) + ".safetensors");
            if (Files.isRegularFile(file)) return file;
            Path index = folder.resolve(base + ".safetensors.index" + (variant == null ? "" : "." + variant) + ".json");
            if (Files.isRegularFile(index)) return index;
        }
        Set<String> variants = variants(folder);
        if (variant != null) {
            throw new UserError("weights folder " + folder + " has no " + variant + " weights (" + BASES.get(0) + "."
                    + variant + ".safetensors or its .index." + variant + ".json)"
                    + (variants.isEmpty() ? "" : "; it has " + String.join(", ", variants)));
        }
        if (variants.size() == 1) return find(folder, variants.iterator().next());
        if (variants.size() > 1) {
            throw new UserError("weights folder " + folder + " holds only variants " + String.join(", ", variants)
                    + ": choose one (variant: fp16 in a sweep, --weights-variant fp16 on the command line)");
        }
        Path pickle = firstPickle(folder);
        if (pickle != null) throw pickleError(pickle);
        throw new UserError("weights folder " + folder + " has neither " + SafetensorsWeights.FILE + " nor "
                + SafetensorsWeights.INDEX + " (nor transformers' model.safetensors)");
    }

    /** Whether a file name is a pickle checkpoint, which this project never loads. */
    static boolean isPickle(String fileName) {
        return PICKLES.stream().anyMatch(fileName::endsWith);
    }

    static UserError pickleError(Path path) {
        return new UserError("weights " + path + " are a pickle checkpoint, which can run code when loaded; "
                + "convert them to safetensors (diffusers saves safetensors by default)");
    }

    /** The variant names of the safetensors files and indexes in {@code folder}, sorted. */
    private static Set<String> variants(Path folder) {
        Set<String> found = new TreeSet<>();
        for (String name : fileNames(folder)) {
            for (String base : BASES) {
                Matcher file = Pattern.compile(Pattern.quote(base) + "\\.([^.]+)\\.safetensors").matcher(name);
                if (file.matches() && !SHARD.matcher(file.group(1)).matches()) found.add(file.group(1));
                Matcher index = Pattern.compile(Pattern.quote(base) + "\\.safetensors\\.index\\.([^.]+)\\.json").matcher(name);
                if (index.matches()) found.add(index.group(1));
            }
        }
        return found;
    }

    private static Path firstPickle(Path folder) {
        return fileNames(folder).stream().filter(WeightFiles::isPickle).findFirst().map(folder::resolve).orElse(null);
    }

    private static List<String> fileNames(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list weights folder " + folder + ": " + e.getMessage());
        }
    }
}
