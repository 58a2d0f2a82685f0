package org.attnbench.workloads.features;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.attnbench.core.UserError;

/**
 * Finds nsfwjs's InceptionV3 as TF.js files, unpacking it on first use.
 *
 * <p>The npm package is installed in the checkout's {@code tools/nsfwjs} folder
 * ({@code npm ci --prefix tools/nsfwjs}, pinned to {@value #VERSION} by its package-lock.json).
 * It ships the model as JavaScript modules, so the first use runs
 * {@code node tools/nsfwjs/unpack-inception-v3.js} once, which writes {@code model.json} and the
 * weight shards to {@code tools/nsfwjs/converted/inception_v3/} (ignored by git, about 22 MB);
 * later uses read those files and need no Node.js. The unpacked files name the nsfwjs version
 * they came from and are unpacked again when it changes.
 *
 * <p>The checkout is the system property {@value #HOME_PROPERTY} (the {@code attnbench}
 * launcher sets it), else the nearest folder at or above the working directory that holds
 * {@code tools/nsfwjs/package.json}.
 */
public final class NsfwjsFiles {
    public static final String VERSION = "4.4.0";
    public static final String HOME_PROPERTY = "attnbench.home";
    static final String TOOLS = "tools/nsfwjs";
    static final String SCRIPT = "unpack-inception-v3.js";

    private NsfwjsFiles() {}

    /** model.json of the unpacked model, unpacking it first when needed. */
    public static Path modelJson() {
        Path tools = toolsFolder();
        String installed = installedVersion(tools);
        if (!VERSION.equals(installed)) {
            String found = installed == null ? "is not installed" : "is at version " + installed;
            throw new UserError("the nsfwjs-inception-v3 extractor needs the npm package nsfwjs " + VERSION + ", which "
                    + found + " in " + tools + ": run npm ci --prefix " + tools);
        }
        Path dir = tools.resolve("converted").resolve("inception_v3");
        Path modelJson = dir.resolve("model.json");
        if (!(VERSION.equals(unpackedVersion(modelJson)))) {
            deleteTree(dir);
            unpack(tools, dir);
        }
        return modelJson;
    }

    static Path toolsFolder() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path tools = Path.of(home).toAbsolutePath().normalize().resolve(TOOLS);
            if (!Files.isRegularFile(tools.resolve("package.json"))) {
                throw new UserError(HOME_PROPERTY + " is " + home + ", which has no " + TOOLS + "/package.json (is it an attnbench checkout?)");
            }
            return tools;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(TOOLS).resolve("package.json"))) return p.resolve(TOOLS);
        }
        throw new UserError("cannot find attnbench's " + TOOLS + " folder at or above " + start
                + ": run attnbench from its checkout (./attnbench does) or pass -D" + HOME_PROPERTY + "=CHECKOUT");
    }

    /** The version in node_modules/nsfwjs/package.json, or null when it is absent. */
    static String installedVersion(Path tools) {
        Path pkg = tools.resolve("node_modules/nsfwjs/package.json");
        if (!Files.isRegularFile(pkg) || !Files.isDirectory(tools.resolve("node_modules/nsfwjs/dist/models/inception_v3"))) {
            return null;
        }
        try {
            return JsonParser.parseString(Files.readString(pkg)).getAsJsonObject().get("version").getAsString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The nsfwjs version recorded in an unpacked model.json, or null when there is none. */
    static String unpackedVersion(Path modelJson) {
        if (!Files.isRegularFile(modelJson)) return null;
        try {
            String by = JsonParser.parseString(Files.readString(modelJson)).getAsJsonObject().get("convertedBy").getAsString();
            return by.substring(by.lastIndexOf(' ') + 1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void unpack(Path tools, Path dir) {
        Path script = tools.resolve(SCRIPT);
        if (!Files.isRegularFile(script)) throw new UserError(script + " is missing (is the attnbench checkout complete?)");
        Process process;
        try {
            Files.createDirectories(dir.getParent());
            process = new ProcessBuilder("node", script.toString(), dir.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UserError("unpacking nsfwjs's model needs Node.js, and `node` cannot be started (" + e.getMessage()
                    + "): install Node.js 20 or later (apt-get install nodejs)", e);
        }
        try {
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0 || !Files.isRegularFile(dir.resolve("model.json"))) {
                throw new UserError("node " + script + " failed: " + reason(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking nsfwjs's model", e);
        }
    }

    /** Node's own error line ("Error: Cannot find module ...") when there is one, else the last line. */
    static String reason(String log) {
        List<String> lines = log.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) return "no output";
        return lines.stream().filter(l -> l.matches("^[A-Za-z]*Error\\b.*")).findFirst().orElse(lines.get(lines.size() - 1));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale unpacked model in " + dir, e);
        }
    }
}
