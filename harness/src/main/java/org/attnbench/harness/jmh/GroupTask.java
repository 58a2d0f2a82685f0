package org.attnbench.harness.jmh;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.store.AtomicFiles;

/**
 * The cells one interleaved fork times together ({@code group.json}): their {@link CellTask} files,
 * in plan order.
 */
public record GroupTask(List<String> tasks) {
    public static final String FILE = "group.json";
    private static final Gson JSON = new Gson();

    public static Path write(Path dir, List<Path> taskFiles) {
        Path file = dir.resolve(FILE);
        AtomicFiles.writeString(file, JSON.toJson(new GroupTask(taskFiles.stream()
                .map(p -> p.toAbsolutePath().toString()).toList())));
        return file;
    }

    public static GroupTask read(Path file) {
        try {
            return JSON.fromJson(Files.readString(file), GroupTask.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
