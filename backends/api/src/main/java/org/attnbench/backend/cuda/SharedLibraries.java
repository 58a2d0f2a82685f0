package org.attnbench.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds shared libraries by soname where the dynamic loader would, without loading them: the
 * folders of {@code LD_LIBRARY_PATH}, the loader's cache as {@code ldconfig -p} prints it, then
 * the default folders. Absolute paths are taken under {@code root}.
 */
public final class SharedLibraries {
    private static final List<String> DEFAULT_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib64", "/usr/lib64", "/lib", "/usr/lib");
    private static volatile SharedLibraries machine;

    private final Path root;
    private final List<String> searchDirs;
    private final List<String> cacheLines;

    /**
     * @param root the file system's root ({@code /}, or a fake one)
     * @param ldLibraryPath the value of {@code LD_LIBRARY_PATH}, or null
     * @param cacheLines the lines {@code ldconfig -p} prints ({@code libx.so.1 (libc6,x86-64) => /path/libx.so.1})
     */
    public SharedLibraries(Path root, String ldLibraryPath, List<String> cacheLines) {
        this.root = root;
        List<String> dirs = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String d : ldLibraryPath.split(":")) if (!d.isBlank()) dirs.add(d);
        }
        this.searchDirs = List.copyOf(dirs);
        this.cacheLines = List.copyOf(cacheLines);
    }

    /** This machine's: its {@code LD_LIBRARY_PATH} and loader cache, read once. */
    public static SharedLibraries ofThisMachine() {
        if (machine == null) machine = new SharedLibraries(Path.of("/"), System.getenv("LD_LIBRARY_PATH"), ldconfigCache());
        return machine;
    }

    /** Where the loader would find the library, or empty. */
    public Optional<Path> find(String soname) {
        for (String dir : searchDirs) {
            Path p = under(dir).resolve(soname);
            if (Files.exists(p)) return Optional.of(p);
        }
        for (String line : cacheLines) {
            String t = line.trim();
            int arrow = t.indexOf(" => ");
            if (arrow < 0 || !t.startsWith(soname + " ")) continue;
            Path p = under(t.substring(arrow + 4).trim());
            if (Files.exists(p)) return Optional.of(p);
        }
        for (String dir : DEFAULT_DIRS) {
            Path p = under(dir).resolve(soname);
            if (Files.exists(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The sonames of these that the loader would not find. */
    public List<String> missing(List<String> sonames) {
        return sonames.stream().filter(s -> find(s).isEmpty()).toList();
    }

    /** Other versions of a library in the loader's cache ({@code libcudart.so.13} for {@code libcudart.so.12}). */
    public List<String> otherVersions(String soname) {
        int so = soname.indexOf(".so");
        if (so < 0) return List.of();
        String base = soname.substring(0, so + 3) + ".";
        return cacheLines.stream().map(String::trim).map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(base) && !n.equals(soname)).distinct().sorted().toList();
    }

    private Path under(String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    /** {@code ldconfig -p}'s lines; none when it is not there or does not answer within 5 s. */
    private static List<String> ldconfigCache() {
        for (String exe : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (!Files.isExecutable(Path.of(exe))) continue;
            try {
                Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return List.of();
                }
                return new String(out, StandardCharsets.UTF_8).lines().toList();
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }
}
