package org.attnbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.backend.Device;
import org.attnbench.backend.DeviceStatus;
import org.attnbench.backend.cuda.CudaMachine;
import org.attnbench.backend.cuda.SharedLibraries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL's CUDA road on fake roots: a PyTorch installation's lib folder named by PYTORCH_LIBRARY_PATH, checked before loading. */
class LibtorchProbeTest {
    @TempDir
    Path root;
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void torch271cu128() throws Exception {
        torch("2.7.1+cu128", true);
        env.put("PYTORCH_LIBRARY_PATH", "/venv/lib/python3.11/site-packages/torch/lib");
        env.put("PYTORCH_FLAVOR", "cu128");
    }

    @Test
    void pytorch271ForCuda128WithItsFlavorLacksNothing() {
        assertEquals(Optional.of(root.resolve("venv/lib/python3.11/site-packages/torch/lib")), LibtorchProbe.folder(machine()));
        assertEquals(Optional.of("2.7.1+cu128"), LibtorchProbe.build(LibtorchProbe.folder(machine()).orElseThrow()));
        assertEquals(Optional.empty(), LibtorchProbe.unusable(machine()));
        assertEquals(List.of(), LibtorchProbe.missingForCuda(machine()));
    }

    @Test
    void withoutPytorchLibraryPathDjlRunsItsCpuLibtorchAndSaysHowToGetTheCudaOne() {
        env.clear();
        assertEquals(Optional.empty(), LibtorchProbe.unusable(machine()));
        List<String> missing = LibtorchProbe.missingForCuda(machine());
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).startsWith("libtorch for CUDA (DJL runs the CPU libtorch it bundles): install PyTorch 2.7.1"
                + " for CUDA 12.8 (pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128)"), missing.get(0));
    }

    @Test
    void anotherTorchVersionIsUnusableForEveryDeviceBeforeAnythingLoads() throws Exception {
        torch("2.8.0+cu128", true);
        Optional<String> why = LibtorchProbe.unusable(machine());
        assertTrue(why.orElseThrow().startsWith("PYTORCH_LIBRARY_PATH names libtorch 2.8.0+cu128"), why.get());
        assertTrue(why.get().contains("DJL's JNI library is built for 2.7.1"), why.get());
        List<DeviceStatus> devices = new DjlBackend().devices(machine());
        assertEquals(2, devices.size());
        assertTrue(devices.stream().noneMatch(DeviceStatus::available), devices.toString());
        assertEquals(Device.CPU, devices.get(0).device());
    }

    @Test
    void aFlavorWithoutAJniLibraryInDjlsJarIsUnusable() {
        env.remove("PYTORCH_FLAVOR");
        assertTrue(LibtorchProbe.unusable(machine()).orElseThrow().startsWith("PYTORCH_FLAVOR is unset beside"
                + " PYTORCH_LIBRARY_PATH"));
        env.put("PYTORCH_FLAVOR", "cu124");
        assertTrue(LibtorchProbe.unusable(machine()).orElseThrow().contains("set PYTORCH_FLAVOR=cu128"));
    }

    @Test
    void aCpuBuildOrAnotherCudaIsNamed() throws Exception {
        torch("2.7.1+cpu", false);
        env.put("PYTORCH_FLAVOR", "cpu");
        assertEquals(Optional.empty(), LibtorchProbe.unusable(machine()));
        assertTrue(LibtorchProbe.missingForCuda(machine()).get(0).contains("is a CPU build: no libtorch_cuda.so"));
        torch("2.7.1+cu126", true);
        env.put("PYTORCH_FLAVOR", "cu128");
        List<String> missing = LibtorchProbe.missingForCuda(machine());
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("is 2.7.1+cu126, DJL's CUDA JNI library is built for cu128"), missing.get(0));
    }

    @Test
    void aFolderWithoutLibtorchIsNotWhatDjlLoads() {
        env.put("PYTORCH_LIBRARY_PATH", "/elsewhere");
        assertEquals(Optional.empty(), LibtorchProbe.folder(machine()));
        assertTrue(LibtorchProbe.missingForCuda(machine()).get(0).startsWith("libtorch for CUDA (PYTORCH_LIBRARY_PATH=/elsewhere"
                + " holds no libtorch.so)"));
    }

    @Test
    void withoutAGpuTheDriverAndLibtorchAreListedOrTheRemainingCauseIsNamed() throws Exception {
        env.clear();
        DeviceStatus none = DjlBackend.noGpu(machine());
        assertFalse(none.available());
        assertEquals(2, none.missing().size(), none.missing().toString());
        assertTrue(none.missing().get(0).startsWith("the NVIDIA driver"));
        assertTrue(none.missing().get(1).startsWith("libtorch for CUDA"));

        torch271cu128();
        Files.createDirectories(root.resolve("proc/driver/nvidia/gpus/0000:00:1e.0"));
        Files.writeString(root.resolve("proc/driver/nvidia/version"), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15\n");
        Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
        Files.writeString(root.resolve("usr/lib/x86_64-linux-gnu/libcuda.so.1"), "");
        DeviceStatus seen = DjlBackend.noGpu(machine());
        assertEquals(List.of(), seen.missing());
        assertTrue(seen.reason().startsWith("libtorch sees no CUDA device although the NVIDIA driver 570.86.15 lists 1 GPU(s)"),
                seen.reason());
    }

    private CudaMachine machine() {
        return new CudaMachine(root, new SharedLibraries(root, null, List.of()), env);
    }

    /** A pip-installed torch: site-packages/torch/{version.py, lib/libtorch.so[, libtorch_cuda.so]}. */
    private void torch(String version, boolean cuda) throws Exception {
        Path torch = root.resolve("venv/lib/python3.11/site-packages/torch");
        Path lib = Files.createDirectories(torch.resolve("lib"));
        Files.writeString(torch.resolve("version.py"), "from typing import Optional\n\n__all__ = ['__version__']\n"
                + "__version__ = '" + version + "'\ndebug = False\ncuda: Optional[str] = '12.8'\n");
        Files.writeString(lib.resolve("libtorch.so"), "");
        if (cuda) Files.writeString(lib.resolve("libtorch_cuda.so"), "");
        else Files.deleteIfExists(lib.resolve("libtorch_cuda.so"));
    }
}
