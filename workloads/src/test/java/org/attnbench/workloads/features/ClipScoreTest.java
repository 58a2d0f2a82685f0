package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.ClipModelConfig;
import org.attnbench.text.encoder.ClipVisionGraph;
import org.attnbench.text.encoder.EncoderWeights;
import org.attnbench.text.reference.ReferenceClipVision;
import org.attnbench.workloads.text.PromptFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * CLIP score against torchmetrics' CLIPScore itself (clip-score.json and clip-embeds.safetensors,
 * which make_goldens.py computed with torchmetrics 1.9.0 and transformers 4.57.6 on a seeded small
 * CLIPModel folder, clip/), and the image tower against its float64 reference, on both backends.
 */
class ClipScoreTest {
    static final Path CLIP = FidelityGoldens.file("clip");

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void scoreAndEmbeddingsEqualTorchmetrics(String backend) throws IOException {
        JsonObject golden = JsonParser.parseString(Files.readString(FidelityGoldens.file("clip-score.json"))).getAsJsonObject();
        List<String> prompts = PromptFile.read(FidelityGoldens.file("prompts.txt"));
        try (ClipScore clip = ClipScore.open(CLIP, Backends.byName(backend), Device.CPU, 8);
             SafetensorsFile embeds = SafetensorsFile.open(FidelityGoldens.file("clip-embeds.safetensors"))) {
            List<Path> images = FidelityGoldens.images();
            float[] image = clip.imageEmbeds(images).toFloats();
            float[] text = clip.textEmbeds(prompts).toFloats();
            double imageError = FidelityGoldens.relativeError(image, embeds.tensor("image_embeds").toFloats());
            double textError = FidelityGoldens.relativeError(text, embeds.tensor("text_embeds").toFloats());
            assertTrue(imageError <= 1e-4, "image_embeds on " + backend + ": " + imageError);
            assertTrue(textError <= 1e-4, "text_embeds on " + backend + ": " + textError + " " + rowErrors(text, embeds.tensor("text_embeds").toFloats(), prompts.size()));

            ClipScore.Result result = clip.score(images, prompts);
            assertEquals(golden.get("clip_score").getAsDouble(), result.score(), 1e-3, backend);
            var perImage = golden.getAsJsonArray("per_image");
            for (int i = 0; i < perImage.size(); i++) assertEquals(perImage.get(i).getAsDouble(), result.perImage()[i], 1e-3, "image " + i);
            assertTrue(result.label().startsWith("clip-score (clip: 2 layers x 32, patch 16, 224 px"), result.label());
        }
    }

    static String rowErrors(float[] a, float[] b, int rows) {
        StringBuilder sb = new StringBuilder();
        int d = a.length / rows;
        for (int r = 0; r < rows; r++) {
            float[] x = java.util.Arrays.copyOfRange(a, r * d, (r + 1) * d);
            float[] y = java.util.Arrays.copyOfRange(b, r * d, (r + 1) * d);
            sb.append(r).append(':').append(String.format("%.2e ", FidelityGoldens.relativeError(x, y)));
        }
        return sb.toString();
    }

    @Test
    void promptsAreTokenizedAsTorchmetricsAsksCutAt77WithoutTheirEndToken() {
        List<String> prompts = PromptFile.read(FidelityGoldens.file("prompts.txt"));
        try (ClipScore clip = ClipScore.open(CLIP, Backends.byName("onnxruntime"), Device.CPU, 8);
             SafetensorsFile embeds = SafetensorsFile.open(FidelityGoldens.file("clip-embeds.safetensors"))) {
            var ids = embeds.tensor("input_ids");
            assertEquals(77, ids.shape()[1], "the long prompt pads every prompt to 77");
            // The ids are internal to textEmbeds; equal embeddings of the long prompt show its cut is torchmetrics'.
            float[] text = clip.textEmbeds(List.of(prompts.get(6))).toFloats();
            float[] expected = new float[text.length];
            System.arraycopy(embeds.tensor("text_embeds").toFloats(), 6 * text.length, expected, 0, text.length);
            assertTrue(FidelityGoldens.relativeError(text, expected) <= 1e-4);
        }
    }

    @Test
    void theClampComesAfterTheMean() {
        List<String> prompts = PromptFile.read(FidelityGoldens.file("prompts.txt"));
        List<Path> images = FidelityGoldens.images();
        try (ClipScore clip = ClipScore.open(CLIP, Backends.byName("onnxruntime"), Device.CPU, 8)) {
            // image 6 against its own prompt scores below zero in the golden (-9.07): alone it is clamped to 0
            ClipScore.Result alone = clip.score(List.of(images.get(6)), List.of(prompts.get(6)));
            assertTrue(alone.perImage()[0] < -1, "" + alone.perImage()[0]);
            assertEquals(0.0, alone.score());
            // with image 7 (12.05) the mean is positive and the negative one counts in it
            ClipScore.Result pair = clip.score(images.subList(6, 8), prompts.subList(6, 8));
            assertEquals((pair.perImage()[0] + pair.perImage()[1]) / 2, pair.score(), 1e-9);
        }
    }

    @Test
    void fewerPromptsThanImagesIsOneLine() {
        try (ClipScore clip = ClipScore.open(CLIP, Backends.byName("onnxruntime"), Device.CPU, 8)) {
            UserError e = assertThrows(UserError.class, () -> clip.score(FidelityGoldens.images(), List.of("a", "b")));
            assertTrue(e.getMessage().startsWith("2 prompts for 8 images"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void imageTowerEqualsItsFloat64Reference(String backend) {
        ClipModelConfig config = ClipModelConfig.read(CLIP.resolve("config.json"));
        Random rnd = new Random(3);
        int s = config.vision().imageSize();
        float[] pixels = new float[2 * 3 * s * s];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rnd.nextGaussian();
        HostTensor input = HostTensor.of(pixels, 2, 3, s, s);
        try (WeightSource weights = EncoderWeights.open(CLIP);
             Executable exe = Backends.byName(backend).compile(ClipVisionGraph.build(config, weights, 2), Device.CPU,
                     CompileOptions.DEFAULT)) {
            float[] actual = exe.run(Map.of(ClipVisionGraph.PIXEL_VALUES, input)).get(ClipVisionGraph.IMAGE_EMBEDS).toFloats();
            ReferenceClipVision reference = new ReferenceClipVision(config, weights);
            int e = config.projectionDim();
            float[] expected = new float[actual.length];
            for (int b = 0; b < 2; b++) {
                double[][][] image = new double[3][s][s];
                for (int c = 0; c < 3; c++) for (int y = 0; y < s; y++) for (int x = 0; x < s; x++) {
                    image[c][y][x] = pixels[((b * 3 + c) * s + y) * s + x];
                }
                double[] ref = reference.imageEmbeds(image);
                for (int j = 0; j < e; j++) expected[b * e + j] = (float) ref[j];
            }
            double error = FidelityGoldens.relativeError(actual, expected);
            assertTrue(error <= 1e-5, backend + ": " + error);
        }
    }

    @Test
    void centreCropAndShorterSideFollowTransformersRounding() {
        ClipImageProcessor p = ClipImageProcessor.read(CLIP);
        assertArrayEquals(new int[] {224, 298}, p.resizedSize(48, 64)); // int(224 * 64 / 48) = int(298.67)
        assertArrayEquals(new int[] {353, 224}, p.resizedSize(71, 45));
        assertArrayEquals(new int[] {224, 224}, p.resizedSize(299, 299));
    }
}
