package org.attnbench.models.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Follows a symbolic link stored as a plain file. Git checks a link out as a small file holding
 * the link's target where links are off ({@code core.symlinks=false}), and so do copies that do not
 * keep links; a pipeline folder whose tokenizers share one vocabulary through links then holds
 * {@code vocab.json} files whose whole text is {@code ../../clip-vocab/vocab.json}. Such a text is
 * never a valid tokenizer or config file, so following it cannot misread one.
 */
public final class LinkStandIn {
    /** Link targets are short; anything longer is read as it is. */
    private static final long MAX_BYTES = 1024;

    private LinkStandIn() {}

    /** The file a stand-in names (relative to its folder), or {@code file} itself when it is not one. */
    public static Path resolve(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) return file;
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            if (text.isEmpty() || text.contains("\n") || text.startsWith("{") || text.startsWith("[")) return file;
            Path real = file.toRealPath(); // a link's target is relative to where it really lies
            Path target = real.getParent().resolve(text).normalize();
            return !target.equals(real) && Files.isRegularFile(target) ? target : file;
        } catch (IOException | InvalidPathException e) {
            return file; // the reader reports what is wrong with the file itself
        }
    }
}
