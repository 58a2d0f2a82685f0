package org.attnbench.workloads.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;

/**
 * Prompts encoded once and kept as files: one safetensors file per prompt, in encode-prompts'
 * layout with P = 1 (the prompt's tensors and its negative's), named by a hash of the prompt's
 * text, in a folder named by a hash of what else decides the tensors ({@link #key}). A prompt whose
 * file is there is never encoded again.
 */
public final class PromptCache {
    /** Prompts per call of the prompt encoder: bounds the memory its outputs take (Flux: 17 MB a prompt). */
    static final int GROUP = 32;
    private static final String VERSION = "attnbench prompt cache 1";

    private PromptCache() {}

    /**
     * A hash of everything but the prompt that decides its tensors: the pipeline folder (its real
     * path, model_index.json, weights variant), each text encoder's config.json and files (name, size,
     * modification time: weights are not read to be hashed), each tokenizer's files, the negative
     * prompt (null and "" differ for SDXL) and the T5 length asked for.
     */
    public static String key(PipelineFolder folder, String negativePrompt, Integer maxSequenceLength) {
        StringBuilder b = new StringBuilder(VERSION).append('\n');
        try {
            b.append(folder.root().toRealPath()).append('\n').append(folder.variant()).append('\n');
            b.append(Files.readString(folder.root().resolve(PipelineFolder.INDEX))).append('\n');
            List<String> parts = new ArrayList<>(folder.textEncoders());
            parts.addAll(folder.tokenizers());
            for (String part : parts) {
                b.append("[").append(part).append("]\n");
                try (Stream<Path> files = Files.list(folder.root().resolve(part))) {
                    for (Path f : files.sorted().toList()) {
                        b.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
                                .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
                    }
                }
                Path config = folder.root().resolve(part).resolve("config.json");
                if (Files.isRegularFile(config)) b.append(Files.readString(config)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.append("negative ").append(negativePrompt == null ? "(none)" : "[" + negativePrompt + "]").append('\n');
        b.append("max_sequence_length ").append(maxSequenceLength).append('\n');
        return sha256(b.toString()).substring(0, 16);
    }

    /** The file of a prompt's tensors in its folder. */
    public static String fileOf(String prompt) {
        return sha256(prompt).substring(0, 20) + ".safetensors";
    }

    /**
     * Encodes the prompts whose files {@code folder} lacks (each distinct prompt once), {@link #GROUP}
     * at a time, writing each prompt's file as its group is done; returns how many were encoded.
     * {@code progress} hears a line after each group.
     */
    public static int encodeMissing(PromptEncoder encoder, Path folder, List<String> prompts, String negativePrompt,
                                    Consumer<String> progress) {
        List<String> missing = prompts.stream().distinct().filter(p -> !Files.isRegularFile(folder.resolve(fileOf(p)))).toList();
        for (int start = 0; start < missing.size(); start += GROUP) {
            List<String> group = missing.subList(start, Math.min(missing.size(), start + GROUP));
            Map<String, HostTensor> tensors = encoder.encode(group, negativePrompt);
            for (int p = 0; p < group.size(); p++) write(folder.resolve(fileOf(group.get(p))), row(tensors, p));
            progress.accept("encoded " + (start + group.size()) + " of " + missing.size() + " prompts");
        }
        return missing.size();
    }

    /** Row {@code p} of every tensor [P, ...], as [1, ...]. */
    static Map<String, HostTensor> row(Map<String, HostTensor> tensors, int p) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            long[] shape = t.shape();
            int bytes = (int) (t.byteSize() / shape[0]);
            ByteBuffer data = t.data();
            data.position(p * bytes).limit((p + 1) * bytes);
            ByteBuffer copy = ByteBuffer.allocate(bytes);
            copy.put(data).flip();
            shape[0] = 1;
            out.put(name, new HostTensor(t.dtype(), shape, copy));
        });
        return out;
    }

    private static void write(Path file, Map<String, HostTensor> tensors) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Safetensors.write(tmp, tensors);
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
