package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttentionCommandTest {
    private static final String[] SHAPE = {"--grid", "6x5", "--channels", "16", "--heads", "2"};

    private static CliRun attention(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("attention"));
        args.addAll(List.of(SHAPE));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void repeatPrintsTheMedianLast() {
        CliRun run = attention("--variant", "todo:factor=2", "--backend", "onnxruntime", "--repeat", "3");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertTrue(lines.get(lines.size() - 1).matches("median_ms: \\d+\\.\\d+"), run.out());
    }

    @Test
    void givenWeightsAndInputGiveTheSameOutputOnBothBackends(@TempDir Path dir) {
        AttentionShape shape = new AttentionShape(2, 6, 5, 16, 2);
        Safetensors.write(dir.resolve("w.safetensors"), BlockWeights.random(3, 16));
        Safetensors.write(dir.resolve("x.safetensors"), Map.of("hidden_states", BlockInputs.gaussian(4, shape)));
        float[][] outs = new float[2][];
        String[] backends = {"onnxruntime", "djl"};
        for (int i = 0; i < 2; i++) {
            Path y = dir.resolve("y" + i + ".safetensors");
            CliRun run = attention("--variant", "tome:ratio=0.5", "--batch", "2", "--backend", backends[i],
                    "--weights", dir.resolve("w.safetensors").toString(), "--input", dir.resolve("x.safetensors").toString(),
                    "--output", y.toString());
            assertEquals(0, run.exitCode(), run.err());
            HostTensor out = Safetensors.read(y).get("hidden_states");
            assertArrayEquals(new long[] {2, 30, 16}, out.shape());
            outs[i] = out.toFloats();
        }
        for (int i = 0; i < outs[0].length; i++) assertEquals(outs[0][i], outs[1][i], 1e-4, "element " + i);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "todo:factor=0          | error: variant 'todo:factor=0': factor=0 is invalid; use an integer >= 1",
        "todo:method=cubic-ish  | error: variant 'todo:method=cubic-ish': unknown method 'cubic-ish'; use one of",
        "tome:ratio=0.9         | error: variant 'tome:ratio=0.9': ratio 0.9 exceeds the cap",
        "dense:colour=red       | error: variant 'dense:colour=red': unknown key 'colour'",
        "todo:factor=7          | error: todo factor 7 does not fit the 6x5 grid",
    })
    void badSpecsAreOneLineAndExitTwo(String spec, String message) {
        CliRun run = attention("--variant", spec, "--backend", "onnxruntime");
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.errLines().get(0).startsWith(message), run.err());
    }

    @Test
    void inputOfTheWrongShapeIsNamed(@TempDir Path dir) {
        Path x = dir.resolve("x.safetensors");
        Safetensors.write(x, Map.of("hidden_states", HostTensor.of(new float[16 * 7], 1, 7, 16)));
        CliRun run = attention("--variant", "dense", "--backend", "onnxruntime", "--input", x.toString());
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertEquals(List.of("error: input 'hidden_states' has shape [1, 7, 16], expected [1, 30, 16] for --batch 1 --grid 6x5 --channels 16"),
                run.errLines());
    }

    @Test
    void weightsWithAMissingTensorAreNamed(@TempDir Path dir) {
        Map<String, HostTensor> w = new java.util.LinkedHashMap<>(BlockWeights.random(3, 16));
        w.remove("attn1.to_k.weight");
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, w);
        CliRun run = attention("--variant", "dense", "--backend", "onnxruntime", "--weights", file.toString());
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertEquals(List.of("error: weights lack tensor 'attn1.to_k.weight'"), run.errLines());
    }
}
