package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script in a fake checkout, with {@code mvn} and {@code java} stand-ins on the PATH
 * that record how they were called: it builds when the build is missing, when sources are newer,
 * or when the Maven arguments (profiles) differ from the last build's, and never otherwise; it
 * refuses to build under ATTNBENCH_NO_BUILD; an installed distribution runs without Maven; and it
 * picks DJL's JNI flavor for the libtorch PYTORCH_LIBRARY_PATH names.
 */
class LauncherTest {
    @TempDir
    Path dir;
    Path checkout;
    Path bin;

    @BeforeEach
    void fakeCheckout() throws IOException {
        checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(Path.of("../attnbench"), checkout.resolve("attnbench"));
        bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("mvn"), """
                echo "$*" >> "%s/mvn.log"
                mkdir -p harness/target
                echo /deps/a.jar > harness/target/classpath.txt
                touch harness/target/attnbench-harness-0.1.0-SNAPSHOT.jar
                """.formatted(dir));
        script(bin.resolve("java"), """
                { echo "args: $*"; echo "flavor: ${PYTORCH_FLAVOR:-}"; } > "%s/java.log"
                """.formatted(dir));
    }

    @Test
    void buildsOnceThenAgainOnlyWhenSourcesOrTheBuildArgumentsChange() throws Exception {
        assertEquals(0, launch(Map.of()).exit);
        assertEquals(List.of("-q -B -DskipTests install"), mvnCalls());
        assertTrue(javaLog().contains("-Dai.djl.offline=true") && javaLog().contains("-Xss4m")
                && javaLog().contains("org.attnbench.cli.Main backends"), javaLog());
        assertEquals(0, launch(Map.of()).exit);
        assertEquals(1, mvnCalls().size(), "unchanged: no build");

        assertEquals(0, launch(Map.of("ATTNBENCH_MVN_ARGS", "-Pimage")).exit);
        assertEquals(List.of("-q -B -DskipTests install", "-q -B -DskipTests -Pimage install"), mvnCalls());
        assertEquals(0, launch(Map.of("ATTNBENCH_MVN_ARGS", "-Pimage")).exit);
        assertEquals(2, mvnCalls().size(), "the same profile again: no build");
        assertEquals(0, launch(Map.of()).exit);
        assertEquals(3, mvnCalls().size(), "back to the default profile: built again");

        Path source = Files.createDirectories(checkout.resolve("core/src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(0, launch(Map.of()).exit);
        assertEquals(4, mvnCalls().size(), "a newer source: built again");
    }

    @Test
    void underNoBuildAStaleCheckoutIsRefusedInOneLine() throws Exception {
        Result r = launch(Map.of("ATTNBENCH_NO_BUILD", "1"));
        assertEquals(2, r.exit);
        assertTrue(r.err.startsWith("error: attnbench is not built"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertEquals(List.of(), mvnCalls());
        launch(Map.of());
        assertEquals(0, launch(Map.of("ATTNBENCH_NO_BUILD", "1")).exit, "built: runs");
        assertEquals(2, launch(Map.of("ATTNBENCH_NO_BUILD", "1", "ATTNBENCH_MVN_ARGS", "-Pimage")).exit);
        assertEquals(1, mvnCalls().size());
    }

    @Test
    void anInstalledDistributionRunsItsClasspathWithoutMaven() throws Exception {
        Files.writeString(checkout.resolve("jib-classpath-file"), "/app/resources:/app/classes:/app/libs/x.jar");
        assertEquals(0, launch(Map.of()).exit);
        assertEquals(List.of(), mvnCalls());
        assertTrue(javaLog().contains("-cp /app/resources:/app/classes:/app/libs/x.jar org.attnbench.cli.Main"), javaLog());
        assertTrue(javaLog().contains("-Dattnbench.home=" + checkout), javaLog());
    }

    @Test
    void aCudaLibtorchGetsDjlsCudaJniFlavorAndACpuOneItsCpuFlavor() throws Exception {
        launch(Map.of());
        Path torch = Files.createDirectories(dir.resolve("torch/lib"));
        Files.writeString(torch.resolve("libtorch.so"), "");
        launch(Map.of("PYTORCH_LIBRARY_PATH", "/nowhere:" + torch));
        assertTrue(javaLog().contains("flavor: cpu"), javaLog());
        Files.writeString(torch.resolve("libtorch_cuda.so"), "");
        launch(Map.of("PYTORCH_LIBRARY_PATH", torch.toString()));
        assertTrue(javaLog().contains("flavor: cu128"), javaLog());
        launch(Map.of("PYTORCH_LIBRARY_PATH", torch.toString(), "PYTORCH_FLAVOR", "cpu"));
        assertTrue(javaLog().contains("flavor: cpu"), "a flavor the user set is kept: " + javaLog());
    }

    record Result(int exit, String err) {}

    private Result launch(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", checkout.resolve("attnbench").toString(), "backends")
                .directory(checkout.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("ATTNBENCH_") || k.startsWith("PYTORCH_"));
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), err);
    }

    private List<String> mvnCalls() throws IOException {
        Path log = dir.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private String javaLog() throws IOException {
        return Files.readString(dir.resolve("java.log"));
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
