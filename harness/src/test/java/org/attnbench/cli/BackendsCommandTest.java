package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
