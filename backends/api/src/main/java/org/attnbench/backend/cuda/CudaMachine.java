package org.attnbench.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a machine has for CUDA, read from files only: the NVIDIA kernel module's version and GPUs
 * ({@code /proc/driver/nvidia}), the driver's user-space library and any other shared library by
 * soname ({@link SharedLibraries}), and the environment. Each missing piece comes back as one
 * phrase that names it and how to get it.
 */
public final class CudaMachine {
    /** The oldest driver CUDA 12's runtimes run on (minor version compatibility). */
    public static final String MIN_DRIVER = "525.60.13";
    private static final Pattern DRIVER_VERSION = Pattern.compile("\\b(\\d{3}\\.\\d+(?:\\.\\d+)?)\\b");

    private final Path root;
    private final SharedLibraries libraries;
    private final Map<String, String> env;

    public CudaMachine(Path root, SharedLibraries libraries, Map<String, String> env) {
        this.root = root;
        this.libraries = libraries;
        this.env = Map.copyOf(env);
    }

    public static CudaMachine ofThisMachine() {
        return new CudaMachine(Path.of("/"), SharedLibraries.ofThisMachine(), System.getenv());
    }

    /**
     * A set of shared libraries one component brings.
     *
     * @param name the component as its vendor names it ("the CUDA 12 runtime")
     * @param sonames the libraries the loader must find
     * @param howToGet where to get them
     */
    public record Need(String name, List<String> sonames, String howToGet) {}

    public SharedLibraries libraries() {
        return libraries;
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env.get(name);
    }

    /** An absolute path on this machine (under the root). */
    public Path path(String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    /** The NVIDIA kernel module's version, when one is loaded. */
    public Optional<String> driverVersion() {
        Path version = path("/proc/driver/nvidia/version");
        try {
            Matcher m = DRIVER_VERSION.matcher(Files.readString(version));
            return m.find() ? Optional.of(m.group(1)) : Optional.of("unknown");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The GPUs the driver lists. */
    public int gpus() {
        try (Stream<Path> gpus = Files.list(path("/proc/driver/nvidia/gpus"))) {
            return (int) gpus.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** What keeps the NVIDIA driver from serving CUDA 12 here, one phrase each; empty when nothing does. */
    public List<String> driverProblems() {
        List<String> out = new ArrayList<>();
        Optional<String> version = driverVersion();
        if (version.isEmpty()) {
            out.add("the NVIDIA driver (no kernel module: /proc/driver/nvidia/version is missing): install NVIDIA's"
                    + " driver, " + MIN_DRIVER + " or newer for CUDA 12 (570 or newer for CUDA 12.8), from your"
                    + " distribution (Debian: apt-get install nvidia-driver) or NVIDIA; in a container, start it with"
                    + " the NVIDIA Container Toolkit (docker run --gpus all; Kubernetes: the nvidia.com/gpu resource)");
            return out;
        }
        if (!version.get().equals("unknown") && older(version.get(), MIN_DRIVER)) {
            out.add("an NVIDIA driver new enough for CUDA 12 (this one is " + version.get() + ", CUDA 12 needs "
                    + MIN_DRIVER + " or newer): update the driver");
        }
        if (gpus() == 0) out.add("a GPU: the NVIDIA driver " + version.get() + " lists none under /proc/driver/nvidia/gpus");
        if (libraries.find("libcuda.so.1").isEmpty()) {
            out.add("the driver's CUDA library libcuda.so.1 (kernel module " + version.get() + " is loaded, its user-space"
                    + " library is not installed or not on the loader's path): install the driver's libraries of the same"
                    + " version (Debian: libcuda1); in a container, start it with the NVIDIA Container Toolkit");
        }
        return out;
    }

    /** The need's missing libraries as one phrase, or empty when the loader finds them all. */
    public Optional<String> missing(Need need) {
        List<String> missing = libraries.missing(need.sonames());
        if (missing.isEmpty()) return Optional.empty();
        List<String> others = missing.stream().flatMap(s -> libraries.otherVersions(s).stream()).toList();
        return Optional.of(need.name() + " (" + String.join(", ", missing) + " not found by the dynamic loader"
                + (others.isEmpty() ? "" : "; it has " + String.join(", ", others) + ", another version") + "): "
                + need.howToGet());
    }

    /** Whether version a is older than b, comparing dotted numbers. */
    static boolean older(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int u = i < x.length ? Integer.parseInt(x[i]) : 0;
            int v = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (u != v) return u < v;
        }
        return false;
    }
}
