package org.attnbench.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.attnbench.backend.cuda.CudaMachine;
import org.attnbench.backend.cuda.SharedLibraries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ONNX Runtime's CUDA provider needs, named from the file system; the list is the provider library's own. */
class CudaProbeTest {
    static final String PROVIDER = "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so";

    @TempDir
    Path root;

    @Test
    void onAMachineWithoutCudaEveryMissingPieceIsNamedWithHowToGetIt() {
        List<String> missing = CudaProbe.missing(machine());
        assertEquals(3, missing.size(), missing.toString());
        assertTrue(missing.get(0).startsWith("the NVIDIA driver"), missing.get(0));
        assertTrue(missing.get(1).startsWith("the CUDA 12 runtime (libcudart.so.12, libcublas.so.12, libcublasLt.so.12,"
                + " libcufft.so.11, libcurand.so.10 not found"), missing.get(1));
        assertTrue(missing.get(1).contains("apt-get install cuda-libraries-12-8"), missing.get(1));
        assertTrue(missing.get(2).startsWith("cuDNN 9 for CUDA 12 (libcudnn.so.9 not found"), missing.get(2));
    }

    @Test
    void withTheDriverTheRuntimeAndCudnnNothingIsMissing() throws Exception {
        Files.createDirectories(root.resolve("proc/driver/nvidia/gpus/0000:00:1e.0"));
        Files.writeString(root.resolve("proc/driver/nvidia/version"), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15\n");
        Path lib = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
        List<String> all = new ArrayList<>(List.of("libcuda.so.1"));
        all.addAll(CudaProbe.CUDA_RUNTIME.sonames());
        all.addAll(CudaProbe.CUDNN.sonames());
        for (String so : all) Files.writeString(lib.resolve(so), "");
        assertEquals(List.of(), CudaProbe.missing(machine()));
    }

    /**
     * The sonames the probe looks for are exactly the CUDA libraries that the provider library in
     * ONNX Runtime's jar declares it needs (ELF DT_NEEDED), so an upgrade that changes them fails here.
     */
    @Test
    void theProbedLibrariesAreTheProvidersOwnNeeds() throws Exception {
        URL jar = OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation();
        List<String> needed;
        try (ZipFile zip = new ZipFile(Path.of(jar.toURI()).toFile())) {
            needed = ElfNeeded.read(zip, zip.getEntry(PROVIDER));
        }
        TreeSet<String> cuda = new TreeSet<>(needed.stream().filter(n -> n.startsWith("libcu")).toList());
        TreeSet<String> probed = new TreeSet<>(CudaProbe.CUDA_RUNTIME.sonames());
        probed.addAll(CudaProbe.CUDNN.sonames());
        assertEquals(probed, cuda, "all needs: " + needed);
    }

    private CudaMachine machine() {
        return new CudaMachine(root, new SharedLibraries(root, null, List.of()), Map.of());
    }

    /** The DT_NEEDED entries of a 64-bit little-endian ELF file inside a zip, read in two streaming passes. */
    static final class ElfNeeded {
        static List<String> read(ZipFile zip, ZipEntry entry) throws IOException {
            long dynOffset = -1;
            long dynSize = 0;
            List<long[]> loads = new ArrayList<>();
            try (InputStream in = zip.getInputStream(entry)) {
                ByteBuffer header = le(in.readNBytes(64));
                long phoff = header.getLong(32);
                int phentsize = header.getShort(54) & 0xffff;
                int phnum = header.getShort(56) & 0xffff;
                in.skipNBytes(phoff - 64);
                for (int i = 0; i < phnum; i++) {
                    ByteBuffer ph = le(in.readNBytes(phentsize));
                    int type = ph.getInt(0);
                    if (type == 1) loads.add(new long[] {ph.getLong(8), ph.getLong(16), ph.getLong(32)});
                    if (type == 2) {
                        dynOffset = ph.getLong(8);
                        dynSize = ph.getLong(32);
                    }
                }
            }
            List<Long> neededAt = new ArrayList<>();
            long strtab = -1;
            long strsz = 0;
            try (InputStream in = zip.getInputStream(entry)) {
                in.skipNBytes(dynOffset);
                ByteBuffer dyn = le(in.readNBytes((int) dynSize));
                for (int i = 0; i + 16 <= dynSize; i += 16) {
                    long tag = dyn.getLong(i);
                    long value = dyn.getLong(i + 8);
                    if (tag == 1) neededAt.add(value);
                    if (tag == 5) strtab = value;
                    if (tag == 10) strsz = value;
                }
            }
            long strOffset = -1;
            for (long[] load : loads) {
                if (strtab >= load[1] && strtab < load[1] + load[2]) strOffset = load[0] + (strtab - load[1]);
            }
            byte[] strings;
            try (InputStream in = zip.getInputStream(entry)) {
                in.skipNBytes(strOffset);
                strings = in.readNBytes((int) strsz);
            }
            List<String> out = new ArrayList<>();
            for (long at : neededAt) {
                int end = (int) at;
                while (strings[end] != 0) end++;
                out.add(new String(strings, (int) at, end - (int) at, StandardCharsets.US_ASCII));
            }
            return out;
        }

        private static ByteBuffer le(byte[] b) {
            return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
