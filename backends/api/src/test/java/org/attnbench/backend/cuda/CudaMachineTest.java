package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver and library probes on fake roots: each missing piece one phrase naming it and how to get it. */
class CudaMachineTest {
    static final String MODULE_550 = "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\n"
            + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n";
    static final String OPEN_MODULE_570 = "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release Build"
            + "  (dvs-builder@U16-I3-B03-4-3)  Thu Jan 23 21:44:20 UTC 2025\n";
    static final CudaMachine.Need RUNTIME = new CudaMachine.Need("the CUDA 12 runtime",
            List.of("libcudart.so.12", "libcublas.so.12"), "install it");

    @TempDir
    Path root;

    @Test
    void withoutAKernelModuleTheDriverIsTheOneThingNamed() {
        List<String> problems = machine(List.of()).driverProblems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("the NVIDIA driver (no kernel module: /proc/driver/nvidia/version is missing):"
                + " install NVIDIA's driver, 525.60.13 or newer"), problems.get(0));
        assertEquals(Optional.empty(), machine(List.of()).driverVersion());
    }

    @Test
    void aDriverWithAGpuAndItsLibraryLacksNothing() throws Exception {
        driver(MODULE_550, 1);
        file("/usr/lib/x86_64-linux-gnu/libcuda.so.1");
        CudaMachine m = machine(List.of());
        assertEquals(Optional.of("550.54.15"), m.driverVersion());
        assertEquals(1, m.gpus());
        assertEquals(List.of(), m.driverProblems());
    }

    @Test
    void theOpenKernelModulesVersionIsRead() throws Exception {
        driver(OPEN_MODULE_570, 2);
        assertEquals(Optional.of("570.86.15"), machine(List.of()).driverVersion());
        assertEquals(2, machine(List.of()).gpus());
    }

    @Test
    void anOldDriverNoGpuAndNoUserSpaceLibraryAreEachNamed() throws Exception {
        driver(MODULE_550.replace("550.54.15", "470.82.01"), 0);
        List<String> problems = machine(List.of()).driverProblems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("this one is 470.82.01, CUDA 12 needs 525.60.13 or newer"), problems.get(0));
        assertTrue(problems.get(1).startsWith("a GPU: the NVIDIA driver 470.82.01 lists none"), problems.get(1));
        assertTrue(problems.get(2).startsWith("the driver's CUDA library libcuda.so.1"), problems.get(2));
    }

    @Test
    void librariesAreFoundOnLdLibraryPathInTheLoadersCacheAndInDefaultFolders() throws Exception {
        file("/opt/cuda/lib64/libcudart.so.12");
        file("/usr/local/cuda-12.8/lib64/libcublas.so.12");
        file("/usr/lib/x86_64-linux-gnu/libcurand.so.10");
        List<String> cache = List.of("1204 libs found in cache `/etc/ld.so.cache'",
                "\tlibcublas.so.12 (libc6,x86-64) => /usr/local/cuda-12.8/lib64/libcublas.so.12",
                "\tlibcudnn.so.9 (libc6,x86-64) => /gone/libcudnn.so.9");
        SharedLibraries libs = new SharedLibraries(root, "/nowhere:/opt/cuda/lib64", cache);
        assertEquals(Optional.of(path("/opt/cuda/lib64/libcudart.so.12")), libs.find("libcudart.so.12"));
        assertEquals(Optional.of(path("/usr/local/cuda-12.8/lib64/libcublas.so.12")), libs.find("libcublas.so.12"));
        assertEquals(Optional.of(path("/usr/lib/x86_64-linux-gnu/libcurand.so.10")), libs.find("libcurand.so.10"));
        assertEquals(Optional.empty(), libs.find("libcudnn.so.9"), "a cache entry whose file is gone is not found");
        assertEquals(List.of("libcudnn.so.9"), libs.missing(List.of("libcudart.so.12", "libcudnn.so.9")));
    }

    @Test
    void aMissingNeedNamesItsLibrariesAnotherVersionPresentAndHowToGetIt() throws Exception {
        file("/usr/local/cuda-13.0/lib/libcudart.so.13");
        CudaMachine m = machine(List.of("\tlibcudart.so.13 (libc6,x86-64) => /usr/local/cuda-13.0/lib/libcudart.so.13",
                "\tlibcudart.so (libc6,x86-64) => /usr/local/cuda-13.0/lib/libcudart.so"));
        assertEquals(Optional.of("the CUDA 12 runtime (libcudart.so.12, libcublas.so.12 not found by the dynamic loader;"
                + " it has libcudart.so.13, another version): install it"), m.missing(RUNTIME));
        file("/usr/lib/x86_64-linux-gnu/libcudart.so.12");
        file("/usr/lib/x86_64-linux-gnu/libcublas.so.12");
        assertEquals(Optional.empty(), machine(List.of()).missing(RUNTIME));
    }

    @Test
    void versionsCompareByNumber() {
        assertTrue(CudaMachine.older("470.82.01", "525.60.13"));
        assertTrue(CudaMachine.older("525.60", "525.60.13"));
        assertTrue(!CudaMachine.older("550.54.15", "525.60.13"));
        assertTrue(!CudaMachine.older("525.60.13", "525.60.13"));
    }

    private CudaMachine machine(List<String> cache) {
        return new CudaMachine(root, new SharedLibraries(root, null, cache), Map.of());
    }

    private void driver(String version, int gpus) throws Exception {
        Path proc = root.resolve("proc/driver/nvidia");
        Files.createDirectories(proc.resolve("gpus"));
        Files.writeString(proc.resolve("version"), version);
        for (int i = 0; i < gpus; i++) Files.createDirectories(proc.resolve("gpus/0000:0" + i + ":00.0"));
    }

    private void file(String absolute) throws Exception {
        Path p = path(absolute);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {0x7f, 'E', 'L', 'F'});
    }

    private Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }
}
