package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsCommandTest {
    @Test
    void listsOnnxRuntimeOnTheCpu() {
        CliRun run = CliRun.of("backends");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.outLines().stream().anyMatch(l -> l.matches("onnxruntime\\s+cpu\\s+available\\s+onnxruntime \\d+\\.\\d+.*")),
                run.out());
        assertTrue(run.outLines().stream().anyMatch(l -> l.matches("onnxruntime\\s+cuda:0\\s+(available|unavailable: .+).*")),
                run.out());
    }

    @Test
    void withoutCudaEachMissingPieceIsAnIndentedLineSayingHowToGetIt() {
        assumeFalse(Files.isDirectory(Path.of("/proc/driver/nvidia")), "this machine has an NVIDIA driver");
        CliRun run = CliRun.of("backends");
        List<String> lines = run.outLines();
        int ort = lines.indexOf(lines.stream().filter(l -> l.matches("onnxruntime\\s+cuda:0\\s+unavailable: it needs 3 thing.*"))
                .findFirst().orElseThrow(() -> new AssertionError(run.out())));
        assertTrue(lines.get(ort + 1).startsWith("    - the NVIDIA driver (no kernel module"), run.out());
        assertTrue(lines.get(ort + 2).startsWith("    - the CUDA 12 runtime (") || lines.get(ort + 2).startsWith("    - cuDNN 9"),
                run.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("    - libtorch for CUDA (") && l.contains("PYTORCH_LIBRARY_PATH")),
                run.out());
    }
}
