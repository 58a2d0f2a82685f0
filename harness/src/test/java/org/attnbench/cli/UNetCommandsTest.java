package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.dit.FluxConfig;
import org.attnbench.models.dit.FluxWeights;
import org.attnbench.models.dit.SD3Config;
import org.attnbench.models.dit.SD3Graph;
import org.attnbench.models.dit.SD3Weights;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UNetCommandsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"sd15, 859520964, 686", "sdxl, 2567463684, 1680", "pixart-alpha, 611349152, 611"})
    void paramsPrintsDiffusersCounts(String model, long parameters, int tensors) {
        CliRun run = CliRun.of("params", "--model", model);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(model + ": " + parameters + " parameters in " + tensors + " tensors"), run.outLines());
    }

    @Test
    void paramsCountsAnSD3TransformerAndItsSavedPositionTable() {
        CliRun run = CliRun.of("params", "--model", "sd3-medium");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("sd3-medium: 2028328000 parameters in 682 tensors",
                "  and the saved buffer pos_embed.pos_embed [1, 36864, 1536] (56623104 values)"), run.outLines());
    }

    @Test
    void paramsCountsFluxAndTheUnetCommandSamplesItWithItsGuidanceEmbedded() {
        CliRun run = CliRun.of("params", "--model", "flux-dev");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("flux-dev: 11901408320 parameters in 1160 tensors"), run.outLines());
        CliRun unet = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "128", "--steps", "2", "--guidance", "3.5",
                "--variant", "todo:factor=2,switch=0"); // a flow model samples with euler unless told otherwise
        assertEquals(0, unet.exitCode(), unet.out() + unet.err());
        assertTrue(unet.outLines().contains("scheduler: euler, 2 steps, guidance 3.5 embedded in the model (batch 1)"), unet.out());
        CliRun ddim = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "128", "--scheduler", "ddim");
        assertEquals(2, ddim.exitCode());
        assertEquals("error: flux-tiny predicts a flow velocity: sample it with scheduler euler (flow-matching Euler, "
                + "shifted by the image size), not ddim", ddim.err().strip());
        CliRun odd = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "120", "--scheduler", "euler");
        assertEquals(2, odd.exitCode());
        assertTrue(odd.err().contains("use sides that are multiples of 16 px"), odd.err());
    }

    @Test
    void fluxExportsAsAStandaloneModelTakingLatentsAndItsGuidance() {
        Path out = dir.resolve("flux-todo.onnx");
        CliRun run = CliRun.of("export-onnx", "--model", "flux-tiny", "--height", "96", "--width", "160", "--variant",
                "todo:factor=2", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        var inputs = OnnxModel.read(out).proto().getGraph().getInputList();
        assertEquals(List.of(DenoiserIO.SAMPLE, DenoiserIO.TIMESTEP, DenoiserIO.ENCODER_HIDDEN_STATES, DenoiserIO.TEXT_EMBEDS,
                DenoiserIO.GUIDANCE), inputs.stream().map(i -> i.getName()).toList());
        var sample = inputs.get(0).getType().getTensorType().getShape();
        assertEquals(List.of(1L, 16L, 12L, 20L), sample.getDimList().stream().map(d -> d.getDimValue()).toList());
    }

    @Test
    void fluxPromptStatesFromAFileSampleWhatTheSameSeededStatesDo() throws Exception {
        // the seeded draw for seed 5: T5 states from seed 6, the pooled embedding from seed 7
        Path file = dir.resolve("flux-prompt.safetensors");
        Safetensors.write(file, Map.of("cond", gaussian(6, 1, 512, 32), "pooled", gaussian(7, 1, 24)));
        float[][] latents = new float[2][];
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("prompt" + k + ".safetensors");
            List<String> args = new java.util.ArrayList<>(List.of("unet", "--model", "flux-tiny", "--resolution", "128",
                    "--steps", "2", "--guidance", "3.5", "--scheduler", "euler", "--seed", "5", "--save-latents", out.toString()));
            if (k == 1) args.addAll(List.of("--embeddings", file.toString()));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.out() + run.err());
            assertTrue(run.out().contains("embeddings: " + (k == 0 ? "random seed 6" : file.toString())), run.out());
            latents[k] = Safetensors.read(out).get(UNetCommand.LATENTS).toFloats();
        }
        assertArrayEquals(latents[0], latents[1], 0f);

        Safetensors.write(file, Map.of("cond", gaussian(6, 1, 512, 32)));
        CliRun noPooled = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "128", "--scheduler", "euler",
                "--embeddings", file.toString());
        assertEquals(Main.EXIT_USER_ERROR, noPooled.exitCode());
        assertEquals(List.of("error: " + file + " has no pooled text embedding: the model also takes one of width 24 "
                + "('pooled_prompt_embeds', or 'pooled' in the older layout)"), noPooled.errLines());
        Safetensors.write(file, Map.of("cond", gaussian(6, 1, 77, 31), "pooled", gaussian(7, 1, 24)));
        CliRun narrow = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "128", "--scheduler", "euler",
                "--embeddings", file.toString());
        assertEquals(Main.EXIT_USER_ERROR, narrow.exitCode());
        assertEquals(List.of("error: embeddings 'cond' in " + file + " have shape [1, 77, 31], expected width 32 (any prompt "
                + "length, the model's width)"), narrow.errLines());
    }

    @Test
    void encodedPromptsOfAnyLengthSampleThePromptAtTheIndexAsTheOlderLayoutDoes() throws Exception {
        // three prompts of 7 T5 tokens; prompt 2 alone in the older layout must sample the same latents
        HostTensor states = gaussian(11, 3, 7, 32), negative = gaussian(12, 3, 7, 32);
        HostTensor pooled = gaussian(13, 3, 24), negativePooled = gaussian(14, 3, 24);
        Path encoded = dir.resolve("encoded.safetensors"), older = dir.resolve("older.safetensors");
        Safetensors.write(encoded, Map.of("prompt_embeds", states, "negative_prompt_embeds", negative,
                "pooled_prompt_embeds", pooled, "negative_pooled_prompt_embeds", negativePooled,
                "input_ids", HostTensor.of(new long[3 * 7], 3, 7)));
        Safetensors.write(older, Map.of("cond", slice(states, 2), "uncond", slice(negative, 2), "pooled", slice(pooled, 2),
                "uncond_pooled", slice(negativePooled, 2)));
        float[][] latents = new float[2][];
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("encoded" + k + ".safetensors");
            List<String> args = new java.util.ArrayList<>(List.of("unet", "--model", "flux-tiny", "--resolution", "128",
                    "--steps", "2", "--guidance", "3.5", "--seed", "5", "--save-latents", out.toString()));
            args.addAll(k == 0 ? List.of("--embeddings", encoded.toString(), "--prompt-index", "2")
                    : List.of("--embeddings", older.toString()));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.out() + run.err());
            assertTrue(run.out().contains("embeddings: " + (k == 0 ? encoded + " (prompt 2)" : older) + ", 7 tokens"), run.out());
            latents[k] = Safetensors.read(out).get(UNetCommand.LATENTS).toFloats();
        }
        assertArrayEquals(latents[0], latents[1], 0f);
        CliRun beyond = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "128", "--embeddings", encoded.toString(),
                "--prompt-index", "3");
        assertEquals(List.of("error: prompt index 3 is out of range: " + encoded + " holds 3 prompts (0 to 2)"), beyond.errLines());
    }

    /** Entry {@code i} of the first axis, kept as an axis of 1. */
    private static HostTensor slice(HostTensor t, int i) {
        long[] s = t.shape();
        int n = (int) (HostTensor.numel(s) / s[0]);
        float[] v = java.util.Arrays.copyOfRange(t.toFloats(), i * n, (i + 1) * n);
        s[0] = 1;
        return HostTensor.of(v, s);
    }

    @Test
    void anSD3CheckpointsSavedPositionTableLoadsWithoutAWarningAndIsUsed() throws Exception {
        SD3Config tiny = SD3Config.load("sd3-tiny");
        Map<String, HostTensor> weights = new java.util.LinkedHashMap<>();
        java.util.Random r = new java.util.Random(3);
        SD3Weights.parameters(tiny).forEach((name, shape) -> {
            float[] v = new float[(int) HostTensor.numel(shape)];
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.3 * r.nextGaussian());
            weights.put(name, HostTensor.of(v, shape));
        });
        long[] tableShape = SD3Weights.buffers(tiny).get(SD3Weights.POS_EMBED);
        float[][] outputs = new float[3][];
        for (int k = 0; k < 3; k++) {
            Map<String, HostTensor> saved = new java.util.LinkedHashMap<>(weights);
            if (k == 1) saved.put(SD3Weights.POS_EMBED, HostTensor.of(new float[(int) HostTensor.numel(tableShape)], tableShape));
            Path file = dir.resolve("sd3-" + k + ".safetensors");
            Safetensors.write(file, saved);
            Path out = dir.resolve("sd3-" + k + ".out.safetensors");
            CliRun run = CliRun.of("unet", "--model", "sd3-tiny", "--resolution", "64", "--steps", "1", "--weights",
                    file.toString(), "--save-latents", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(List.of(), run.errLines(), "no warning about the saved table");
            outputs[k] = Safetensors.read(out).get(UNetCommand.LATENTS).toFloats();
            if (k == 1) weights.put(SD3Weights.POS_EMBED, HostTensor.of(
                    SD3Graph.positionTable(tiny), tableShape));
        }
        // k = 1 saved a zero table, which diffusers would load and use: the output moves; k = 2 saved the true table
        assertTrue(!java.util.Arrays.equals(outputs[0], outputs[1]), "a saved table is used");
        assertArrayEquals(outputs[0], outputs[2], 1e-5f);

        Map<String, HostTensor> wrong = new java.util.LinkedHashMap<>(weights);
        wrong.put(SD3Weights.POS_EMBED, HostTensor.of(new float[4], 1, 4));
        Path file = dir.resolve("sd3-wrong.safetensors");
        Safetensors.write(file, wrong);
        CliRun run = CliRun.of("unet", "--model", "sd3-tiny", "--resolution", "64", "--steps", "1", "--weights", file.toString());
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertTrue(run.err().contains("buffer 'pos_embed.pos_embed' is FLOAT32 [1, 4], expected floats " + java.util.Arrays.toString(tableShape)),
                run.err());
    }

    /** N(0, 1) floats as Conditioning's seeded draw makes them. */
    private static HostTensor gaussian(long seed, long... shape) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[(int) HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return HostTensor.of(v, shape);
    }

    @Test
    void aShardedBfloat16FluxCheckpointSamplesWhatItsFloat32ValuesDo() throws Exception {
        // flux-tiny's parameters, drawn, rounded to bfloat16: once as two bf16 shards with an index, once as one fp32 file
        Map<String, HostTensor> bf16 = new java.util.LinkedHashMap<>();
        java.util.Random r = new java.util.Random(4);
        FluxWeights.parameters(FluxConfig.load("flux-tiny")).forEach((name, shape) -> {
            float[] v = new float[(int) HostTensor.numel(shape)];
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.3 * r.nextGaussian());
            bf16.put(name, HostTensor.of(v, shape).toDType(DType.BFLOAT16));
        });
        Path shards = Files.createDirectories(dir.resolve("transformer"));
        Map<String, HostTensor> first = new java.util.LinkedHashMap<>(), second = new java.util.LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"weight_map\": {");
        int i = 0;
        for (var e : bf16.entrySet()) {
            boolean one = i++ % 2 == 0;
            (one ? first : second).put(e.getKey(), e.getValue());
            index.append(i > 1 ? "," : "").append('"').append(e.getKey()).append("\": \"")
                    .append(one ? "a.safetensors" : "b.safetensors").append('"');
        }
        SafetensorsWeights.write(shards.resolve("a.safetensors"), first);
        SafetensorsWeights.write(shards.resolve("b.safetensors"), second);
        Files.writeString(shards.resolve(SafetensorsWeights.INDEX), index.append("}}").toString());
        Map<String, HostTensor> fp32 = new java.util.LinkedHashMap<>();
        bf16.forEach((name, t) -> fp32.put(name, t.toDType(DType.FLOAT32)));
        Path single = dir.resolve("flux-fp32.safetensors");
        SafetensorsWeights.write(single, fp32);

        float[][] latents = new float[2][];
        String[] sources = {shards.toString(), single.toString()};
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("latents" + k + ".safetensors");
            CliRun run = CliRun.of("unet", "--model", "flux-tiny", "--resolution", "128", "--steps", "2", "--guidance", "3.5",
                    "--scheduler", "euler", "--variant", "todo:factor=2", "--weights", sources[k], "--save-latents", out.toString());
            assertEquals(0, run.exitCode(), run.out() + run.err());
            assertTrue(run.err().isBlank(), "every tensor read, none left over: " + run.err());
            latents[k] = Safetensors.read(out).get(UNetCommand.LATENTS).toFloats();
        }
        assertArrayEquals(latents[1], latents[0], 0f, "the same values, whatever file form they come in");
    }

    @Test
    void aFlowModelRefusesTheNoiseSamplers() {
        CliRun unet = CliRun.of("unet", "--model", "sd3-tiny", "--resolution", "128", "--scheduler", "ddim");
        assertEquals(2, unet.exitCode());
        assertEquals("error: sd3-tiny predicts a flow velocity: sample it with scheduler euler (flow-matching Euler, "
                + "shift 3.0), not ddim", unet.err().strip());
    }

    @Test
    void exportWritesAStandaloneModelWithDiffusersNames() {
        Path weights = dir.resolve("tiny.safetensors");
        SafetensorsWeights.write(weights, UNetConfig.load("tiny"), new RandomWeights(2), DType.FLOAT16);
        Path out = dir.resolve("tiny-todo.onnx");
        CliRun run = CliRun.of("export-onnx", "--model", "tiny", "--resolution", "128", "--variant", "todo:factor=2",
                "--weights", weights.toString(), "--batch", "2", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("wrote " + out + ": tiny at 128 px, batch 2, todo:factor=2"), run.out());
        OnnxModel model = OnnxModel.read(out);
        assertTrue(model.initializer("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.weight").isPresent());
        assertEquals(List.of(DenoiserIO.SAMPLE, DenoiserIO.TIMESTEP, DenoiserIO.ENCODER_HIDDEN_STATES),
                model.proto().getGraph().getInputList().stream().map(i -> i.getName()).toList());
    }

    @Test
    void exportWritesADiffusionTransformer() {
        Path out = dir.resolve("pixart-todo.onnx");
        CliRun run = CliRun.of("export-onnx", "--model", "pixart-tiny", "--resolution", "128", "--variant", "todo:factor=2",
                "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("wrote " + out + ": pixart-tiny at 128 px, batch 1, todo:factor=2"), run.out());
        OnnxModel model = OnnxModel.read(out);
        assertTrue(model.initializer("transformer_blocks.0.attn1.to_k.weight").isPresent());
        var caption = model.proto().getGraph().getInput(2).getType().getTensorType().getShape();
        assertEquals(List.of(1L, 300L), caption.getDimList().stream().limit(2).map(d -> d.getDimValue()).toList());
    }

    @Test
    void exportTakesNonSquareSizes() {
        Path out = dir.resolve("wide.onnx");
        CliRun run = CliRun.of("export-onnx", "--model", "tiny", "--height", "64", "--width", "96", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("wrote " + out + ": tiny at 96x64 px"), run.out());
        var sample = OnnxModel.read(out).proto().getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals(List.of(1L, 4L, 8L, 12L), sample.getDimList().stream().map(d -> d.getDimValue()).toList());
    }

    @Test
    void unusedTensorsInTheCheckpointAreOneWarning() {
        Path weights = dir.resolve("tiny.safetensors");
        SafetensorsWeights.write(weights, UNetConfig.load("tiny"), new RandomWeights(2), DType.FLOAT32);
        Map<String, HostTensor> all = new java.util.LinkedHashMap<>(Safetensors.read(weights));
        all.put("text_model.extra.weight", HostTensor.of(new float[] {1}, 1));
        SafetensorsWeights.write(weights, all);
        CliRun run = CliRun.of("export-onnx", "--model", "tiny", "--weights", weights.toString(),
                "-o", dir.resolve("t.onnx").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("warning: ") && run.err().contains("text_model.extra.weight"), run.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "missing  | lacks 1 of the model's",
        "shape    | weight 'conv_in.weight' has shape [32, 4, 3], expected [32, 4, 3, 3]",
        "resolution | resolution 100 px does not fit tiny: use sides that are positive multiples of 16 px",
        "config   | up_block_types=AttnUpBlock2D is not supported",
    })
    void mistakesAreOneErrorLine(String mistake, String message) throws Exception {
        Path weights = dir.resolve("tiny.safetensors");
        SafetensorsWeights.write(weights, UNetConfig.load("tiny"), new RandomWeights(2), DType.FLOAT32);
        Map<String, HostTensor> all = new java.util.LinkedHashMap<>(Safetensors.read(weights));
        String model = "tiny";
        String resolution = "64";
        switch (mistake) {
            case "missing" -> all.remove("up_blocks.1.attentions.0.proj_out.bias");
            case "shape" -> all.put("conv_in.weight", HostTensor.of(new float[32 * 4 * 3], 32, 4, 3));
            case "resolution" -> resolution = "100";
            default -> {
                String tiny = new String(UNetConfig.class.getResourceAsStream("/unet/tiny.json").readAllBytes());
                Path config = dir.resolve("config.json");
                Files.writeString(config, tiny.replace("\"CrossAttnUpBlock2D\"", "\"AttnUpBlock2D\""));
                model = config.toString();
            }
        }
        SafetensorsWeights.write(weights, all);
        CliRun run = CliRun.of("export-onnx", "--model", model, "--resolution", resolution, "--weights", weights.toString(),
                "-o", dir.resolve("x.onnx").toString());
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode(), run.out() + run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.errLines().get(0).startsWith("error: ") && run.err().contains(message), run.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }
}
