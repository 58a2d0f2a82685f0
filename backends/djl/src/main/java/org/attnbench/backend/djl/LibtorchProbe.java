package org.attnbench.backend.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attnbench.backend.cuda.CudaMachine;

/**
 * Whether DJL can run libtorch on CUDA here, read from files before DJL loads anything. DJL 0.36
 * ships its JNI library for libtorch 2.7.1 on the CPU and on CUDA 12.8 ({@code cu128}); the CPU
 * libtorch comes in a Maven jar, the CUDA one from a PyTorch installation that {@code
 * PYTORCH_LIBRARY_PATH} names (its {@code lib} folder), with {@code PYTORCH_FLAVOR=cu128} choosing
 * the JNI library (the launcher sets it). DJL loads that folder for the CPU too, so a folder it
 * cannot load is reported as unusable before DJL tries.
 */
final class LibtorchProbe {
    static final String TORCH_VERSION = "2.7.1";
    static final String CUDA_FLAVOR = "cu128";
    static final String INSTALL = "install PyTorch " + TORCH_VERSION + " for CUDA 12.8 (pip install torch==" + TORCH_VERSION
            + " --index-url https://download.pytorch.org/whl/" + CUDA_FLAVOR + ") and run with PYTORCH_LIBRARY_PATH set to"
            + " its lib folder (python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + \"/lib\")')";
    private static final Pattern VERSION = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");

    private LibtorchProbe() {}

    /** The libtorch folder DJL will load, as DJL picks it from PYTORCH_LIBRARY_PATH; empty when it uses its own. */
    static Optional<Path> folder(CudaMachine m) {
        String paths = m.env("PYTORCH_LIBRARY_PATH");
        if (paths == null || paths.isBlank()) return Optional.empty();
        for (String p : paths.split(":")) {
            if (p.isBlank()) continue;
            Path dir = m.path(Path.of(p).toAbsolutePath().toString());
            if (Files.isRegularFile(dir) && dir.getFileName().toString().equals("libtorch.so")) return Optional.of(dir.getParent());
            if (Files.isRegularFile(dir.resolve("libtorch.so"))) return Optional.of(dir);
        }
        return Optional.empty();
    }

    /** "2.7.1+cu128": the build a libtorch folder records (PyTorch's version.py beside it, or libtorch's build-version). */
    static Optional<String> build(Path libDir) {
        Path parent = libDir.toAbsolutePath().getParent();
        if (parent == null) return Optional.empty();
        try {
            Path py = parent.resolve("version.py");
            if (Files.isRegularFile(py)) {
                Matcher v = VERSION.matcher(Files.readString(py));
                if (v.find()) return Optional.of(v.group(1));
            }
            Path plain = parent.resolve("build-version");
            if (Files.isRegularFile(plain)) return Optional.of(Files.readString(plain).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Why DJL could not load the libtorch PYTORCH_LIBRARY_PATH names (for any device): another version
     * than its JNI's, or a flavor its jar has no JNI library for. Empty when it can, or when unset.
     */
    static Optional<String> unusable(CudaMachine m) {
        Optional<Path> dir = folder(m);
        if (dir.isEmpty()) return Optional.empty();
        Optional<String> build = build(dir.get());
        if (build.isPresent() && !build.get().split("\\+")[0].equals(TORCH_VERSION)) {
            return Optional.of("PYTORCH_LIBRARY_PATH names libtorch " + build.get() + " (" + dir.get() + "), but DJL's JNI"
                    + " library is built for " + TORCH_VERSION + ": " + INSTALL);
        }
        String flavor = m.env("PYTORCH_FLAVOR");
        if (flavor == null || !(flavor.equals("cpu") || flavor.equals(CUDA_FLAVOR))) {
            return Optional.of("PYTORCH_FLAVOR is " + (flavor == null ? "unset" : flavor) + " beside PYTORCH_LIBRARY_PATH: DJL's"
                    + " jar has JNI libraries for cpu and " + CUDA_FLAVOR + " only; set PYTORCH_FLAVOR=" + CUDA_FLAVOR
                    + " for a CUDA build (./attnbench sets it)");
        }
        return Optional.empty();
    }

    /** What DJL lacks for CUDA here besides the driver, one phrase each with how to get it. */
    static List<String> missingForCuda(CudaMachine m) {
        List<String> out = new ArrayList<>();
        Optional<Path> dir = folder(m);
        if (dir.isEmpty()) {
            String set = m.env("PYTORCH_LIBRARY_PATH");
            out.add("libtorch for CUDA (" + (set == null || set.isBlank() ? "DJL runs the CPU libtorch it bundles"
                    : "PYTORCH_LIBRARY_PATH=" + set + " holds no libtorch.so") + "): " + INSTALL);
            return out;
        }
        if (!Files.exists(dir.get().resolve("libtorch_cuda.so"))) {
            out.add("libtorch for CUDA (" + dir.get() + " is a CPU build: no libtorch_cuda.so): " + INSTALL);
            return out;
        }
        build(dir.get()).filter(b -> !b.endsWith("+" + CUDA_FLAVOR)).ifPresent(b -> out.add("libtorch for CUDA 12.8 ("
                + dir.get() + " is " + b + ", DJL's CUDA JNI library is built for " + CUDA_FLAVOR + "): " + INSTALL));
        if (!CUDA_FLAVOR.equals(m.env("PYTORCH_FLAVOR"))) {
            out.add("PYTORCH_FLAVOR=" + CUDA_FLAVOR + " beside a CUDA libtorch (it picks DJL's CUDA JNI library; ./attnbench"
                    + " sets it)");
        }
        return out;
    }
}
