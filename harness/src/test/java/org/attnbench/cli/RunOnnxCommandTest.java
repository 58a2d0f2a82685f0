package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.attnbench.backend.Backends;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunOnnxCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void writesOutputsByName(String backend) {
        // The DJL backend lives in a sibling module; run it only where it is on the classpath.
        assumeTrue(Backends.all().stream().anyMatch(b -> b.name().equals(backend)), backend + " is not on the classpath");
        Path out = dir.resolve("out.safetensors");
        CliRun run = CliRun.of("run-onnx", CliFixtures.model(dir).toString(), "--backend", backend,
                "--inputs", CliFixtures.inputs(dir).toString(), "--outputs", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("wrote " + out + ": y FLOAT32 [2, 2]", run.out().strip());
        Map<String, HostTensor> outputs = Safetensors.read(out);
        assertEquals(java.util.Set.of("y"), outputs.keySet());
        assertArrayEquals(CliFixtures.Y, outputs.get("y").toFloats(), 1e-5f);
    }

    @Test
    void missingInputListsTheExpectedNames() {
        Path in = dir.resolve("in.safetensors");
        Safetensors.write(in, Map.of("hidden", HostTensor.of(CliFixtures.X, 2, 3)));
        CliRun run = CliRun.of("run-onnx", CliFixtures.model(dir).toString(), "--backend", "onnxruntime",
                "--inputs", in.toString(), "--outputs", dir.resolve("out.safetensors").toString());
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertEquals(java.util.List.of("error: " + in + " has no tensor 'x': the graph's inputs are x"), run.errLines());
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun run = CliRun.of("run-onnx", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--inputs=IN.safetensors"), run.out());
    }
}
