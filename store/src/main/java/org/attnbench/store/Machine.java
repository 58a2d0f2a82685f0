package org.attnbench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The machine a run was measured on, as its manifest records it.
 *
 * @param cpu CPU model name (/proc/cpuinfo)
 * @param cores logical cores the JVM sees
 * @param memoryGb physical memory (/proc/meminfo)
 * @param gpus one entry per NVIDIA GPU (nvidia-smi), empty when none or no driver
 * @param os operating system (PRETTY_NAME of /etc/os-release, else os.name) and kernel
 * @param jvm the JVM's vendor, name and version
 */
public record Machine(String cpu, int cores, double memoryGb, List<Gpu> gpus, String os, String jvm, String allocator) {

    /** One GPU: its name, driver version and memory. */
    public record Gpu(int index, String name, String driver, double memoryMb) {}

    /** A machine whose allocator was not recorded (runs written before it was). */
    public Machine(String cpu, int cores, double memoryGb, List<Gpu> gpus, String os, String jvm) {
        this(cpu, cores, memoryGb, gpus, os, jvm, null);
    }

    public Machine {
        gpus = List.copyOf(gpus);
    }

    public static Machine current() {
        return new Machine(readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemoryGb(), readGpus(), readOs(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"), allocator(System.getenv()));
    }

    /**
     * The native allocator this process runs on, which moves CPU timings by up to 10x (see the
     * launcher): a preloaded one by its library name, else glibc with its tunables when set.
     */
    static String allocator(java.util.Map<String, String> env) {
        String preload = env.getOrDefault("LD_PRELOAD", "");
        for (String lib : preload.split("[:\\s]+")) {
            String name = Path.of(lib.isEmpty() ? "." : lib).getFileName().toString();
            if (name.contains("malloc")) return name + " (LD_PRELOAD)";
        }
        String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
        return tunables.contains("malloc") ? "glibc (GLIBC_TUNABLES=" + tunables + ")" : "glibc";
    }

    /** A one-line description for tables: "Intel Xeon ... (2 cores, 24 GB), 1x NVIDIA H200, allocator glibc". */
    public String summary() {
        String s = String.format(Locale.ROOT, "%s (%d cores, %.0f GB)", cpu, cores, memoryGb);
        if (!gpus.isEmpty()) s += ", " + gpus.size() + "x " + gpus.get(0).name();
        return allocator == null ? s : s + ", allocator " + allocator;
    }

    private static String readCpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return System.getProperty("os.arch");
    }

    private static double readMemoryGb() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static String readOs() {
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        for (String line : lines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "") + ", " + kernel;
        }
        return kernel;
    }

    /** nvidia-smi's view of the GPUs; none when the tool or a driver is missing. */
    static List<Gpu> readGpus() {
        List<Gpu> out = new ArrayList<>();
        for (String line : run("nvidia-smi", "--query-gpu=index,name,driver_version,memory.total",
                "--format=csv,noheader,nounits")) {
            String[] f = line.split(",\\s*");
            if (f.length < 4) continue;
            try {
                out.add(new Gpu(Integer.parseInt(f[0].trim()), f[1].trim(), f[2].trim(), Double.parseDouble(f[3].trim())));
            } catch (NumberFormatException e) {
                // An unexpected line (a warning): not a GPU.
            }
        }
        return out;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** A command's standard output lines, or none if it cannot run or does not succeed within 10 s. */
    static List<String> run(String... command) {
        try {
            Path out = Files.createTempFile("attnbench-", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return List.of();
                }
                return p.exitValue() == 0 ? Files.readAllLines(out) : List.of();
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
