package org.attnbench.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarball Jib wrote (Docker's {@code docker save} layout: manifest.json, the config,
 * one gzipped tar per layer), read back: its entrypoint and environment, what each layer holds,
 * and that the files it installs under /app run: relocated to a folder, the launcher in them lists
 * both backends on this machine's Java with libtorch loaded from the unpacked natives.
 */
class ImageTarballTest {
    static final Path IMAGE = Path.of(System.getProperty("attnbench.image", "target/attnbench-image.tar"));
    static final List<String> MODULES = List.of("core", "graph", "backend-api", "backend-onnxruntime", "backend-djl",
            "models", "methods", "text", "metrics", "store", "workloads", "reports", "harness");

    /** Where the files the image installs under /app are written as they are read. */
    static final Path FILES = Path.of("target/image-files");
    static final int KEPT_BYTES = 1 << 20;

    static JsonObject config;
    /** Every member of every layer: path (without the leading slash) to the entry. */
    static final Map<String, Entry> files = new LinkedHashMap<>();
    static final Map<String, Long> layerBytes = new LinkedHashMap<>();

    /** A layer member; its content kept when under a megabyte, its layer named by its file in the tarball. */
    record Entry(String path, int mode, byte type, long size, byte[] content, String layer) {}

    @BeforeAll
    static void readTarball() throws IOException {
        deleteTree(FILES);
        Map<String, byte[]> small = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(IMAGE)) {
            Tar.read(in, outer -> {
                if (!outer.path().endsWith(".tar.gz")) {
                    small.put(outer.path(), outer.content());
                    return;
                }
                layerBytes.put(outer.path(), (long) outer.content().length);
                try (InputStream layer = new GZIPInputStream(new ByteArrayInputStream(outer.content()))) {
                    Tar.read(layer, e -> {
                        files.put(e.path(), new Entry(e.path(), e.mode(), e.type(), e.content().length,
                                e.content().length < KEPT_BYTES ? e.content() : null, outer.path()));
                        if (e.path().startsWith("app/")) write(FILES.resolve(e.path()), e);
                    });
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
        }
        JsonObject manifest = JsonParser.parseString(new String(small.get("manifest.json"), StandardCharsets.UTF_8))
                .getAsJsonArray().get(0).getAsJsonObject();
        config = JsonParser.parseString(new String(small.get(manifest.get("Config").getAsString()), StandardCharsets.UTF_8))
                .getAsJsonObject().getAsJsonObject("config");
        assertEquals(new TreeSet<>(layerBytes.keySet()), new TreeSet<>(strings(manifest.getAsJsonArray("Layers"))));
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        deleteTree(FILES);
    }

    @Test
    void theEntrypointIsTheLauncherRunFromAppWithDjlPointedAtTheUnpackedNatives() {
        assertEquals(List.of("/app/attnbench"), strings(config.getAsJsonArray("Entrypoint")));
        assertEquals("/app", config.get("WorkingDir").getAsString());
        List<String> env = strings(config.getAsJsonArray("Env"));
        assertTrue(env.contains("PYTORCH_LIBRARY_PATH=/app/libtorch"), env.toString());
        assertTrue(env.contains("PYTORCH_FLAVOR=cpu"), env.toString());
    }

    @Test
    void theLauncherIsTheCheckoutsAndExecutable() throws IOException {
        Entry launcher = files.get("app/attnbench");
        assertArrayEquals(Files.readAllBytes(Path.of("../attnbench")), launcher.content());
        assertEquals(0755, launcher.mode() & 0777);
    }

    @Test
    void theClasspathHoldsEveryModuleAndItsDependenciesButNotTheLibtorchJar() {
        List<String> classpath = Arrays.asList(text("app/jib-classpath-file").split(":"));
        for (String m : MODULES) {
            assertTrue(classpath.contains("/app/libs/attnbench-" + m + "-0.1.0-SNAPSHOT.jar"), m + ": " + classpath);
        }
        assertTrue(classpath.stream().anyMatch(p -> p.matches("/app/libs/onnxruntime_gpu-[0-9.]+\\.jar")), classpath.toString());
        assertTrue(classpath.stream().anyMatch(p -> p.matches("/app/libs/pytorch-jni-.*\\.jar")), classpath.toString());
        assertTrue(classpath.stream().noneMatch(p -> p.contains("pytorch-native")), "its natives are unpacked instead");
        for (String p : classpath) {
            if (p.endsWith(".jar")) assertTrue(files.containsKey(p.substring(1)), p + " is in no layer");
        }
        assertEquals("org.attnbench.cli.Main", text("app/jib-main-class-file").strip());
    }

    @Test
    void libtorchsCpuNativesAndDjlsJniLibraryLieFlatInOneFolder() {
        TreeSet<String> libtorch = new TreeSet<>();
        files.keySet().stream().filter(p -> p.startsWith("app/libtorch/") && files.get(p).type() == '0')
                .forEach(p -> libtorch.add(p.substring("app/libtorch/".length())));
        assertTrue(libtorch.containsAll(List.of("libtorch.so", "libtorch_cpu.so", "libc10.so", "libdjl_torch.so")), libtorch.toString());
        assertTrue(libtorch.stream().anyMatch(n -> n.matches("libgomp-.*\\.so\\.1")), libtorch.toString());
        assertTrue(libtorch.stream().noneMatch(n -> n.contains("/")), "flat: " + libtorch);
        assertTrue(files.get("app/libtorch/libtorch_cpu.so").size() > 100_000_000, "the real library");
    }

    @Test
    void everyBundledConfigIsInTheImage() throws IOException {
        Path configs = Path.of("../configs");
        List<String> bundled;
        try (Stream<Path> s = Files.walk(configs)) {
            bundled = s.filter(Files::isRegularFile).map(p -> configs.relativize(p).toString()).sorted().toList();
        }
        assertTrue(bundled.contains("quickstart.yaml") && bundled.contains("models/flux-dev-2x4.json"), bundled.toString());
        for (String f : bundled) {
            assertArrayEquals(Files.readAllBytes(configs.resolve(f)), files.get("app/configs/" + f).content(), f);
        }
    }

    /** A code change rebuilds a small layer: the project's own jars are apart from its large dependencies and natives. */
    @Test
    void theProjectsJarsSitInASmallLayerOfTheirOwn() {
        String own = files.get("app/libs/attnbench-core-0.1.0-SNAPSHOT.jar").layer();
        for (String m : MODULES) assertEquals(own, files.get("app/libs/attnbench-" + m + "-0.1.0-SNAPSHOT.jar").layer(), m);
        assertTrue(files.values().stream().filter(e -> e.layer().equals(own) && e.path().endsWith(".jar"))
                .allMatch(e -> e.path().contains("attnbench-")), "only the project's jars");
        assertTrue(layerBytes.get(own) < 20_000_000, "own jars' layer: " + layerBytes.get(own) + " bytes");
        assertFalse(own.equals(files.get("app/libtorch/libtorch_cpu.so").layer()));
        assertFalse(own.equals(files.values().stream().filter(e -> e.path().contains("onnxruntime_gpu")).findFirst()
                .orElseThrow().layer()));
    }

    /**
     * The image's files run: /app relocated to a folder (its classpath file and DJL's natives folder
     * pointed there), the launcher lists DJL with libtorch 2.7.1 and ONNX Runtime on the CPU, and
     * checks a bundled config; DJL extracts nothing (its engine cache stays empty).
     */
    @Test
    void theInstalledFilesRunOnThisMachinesJava(@TempDir Path tmp) throws Exception {
        Path app = FILES.resolve("app").toAbsolutePath();
        Files.writeString(app.resolve("jib-classpath-file"), text("app/jib-classpath-file").replace("/app/", app + "/"));
        Path cache = Files.createDirectories(tmp.resolve("djl-cache"));
        String backends = launch(app, cache, "backends");
        assertTrue(backends.lines().anyMatch(l -> l.matches("djl\\s+cpu\\s+available\\s+djl 0\\.36\\.0, libtorch 2\\.7\\.1")), backends);
        assertTrue(backends.lines().anyMatch(l -> l.matches("onnxruntime\\s+cpu\\s+available\\s+onnxruntime .*")), backends);
        String validate = launch(app, cache, "validate", "--quiet", "configs/quickstart.yaml");
        assertTrue(validate.startsWith("ok: configs/quickstart.yaml"), validate);
        try (Stream<Path> s = Files.walk(cache)) {
            assertEquals(List.of(cache), s.toList(), "DJL extracted nothing");
        }
    }

    private static String launch(Path app, Path cache, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", app.resolve("attnbench").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("ATTNBENCH_") || k.startsWith("PYTORCH_") || k.startsWith("DJL_"));
        pb.environment().put("PYTORCH_LIBRARY_PATH", app.resolve("libtorch").toString());
        pb.environment().put("PYTORCH_FLAVOR", "cpu");
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static void write(Path p, Tar.Member e) {
        try {
            if (e.type() == '5') {
                Files.createDirectories(p);
            } else if (e.type() == '0') {
                Files.createDirectories(p.getParent());
                Files.write(p, e.content());
                if ((e.mode() & 0100) != 0) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String text(String path) {
        return new String(files.get(path).content(), StandardCharsets.UTF_8);
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
