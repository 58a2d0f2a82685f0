package org.attnbench.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The diffusion transformers against forward passes that diffusers 0.40 itself ran (test resources
 * {@code golden/dit/}, written by {@code make_golden.py} there): PixArt-Σ with a caption mask,
 * PixArt-α with its size conditions, SD3 and SD 3.5 (dual attention, q/k RMSNorm) with the saved
 * position table, Flux.1-dev with its guidance, each at a non-square size, on both backends with the
 * matmul and the fused kernel, within 1e-4 of the largest expected value. The float64 references
 * are written from the same reading of diffusers as the graphs; these cases are diffusers' own.
 */
class DitGoldenCasesTest {
    private static final double TOLERANCE = 1e-4;

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(d -> Files.exists(d.resolve("case.json"))).map(d -> d.getFileName().toString()).sorted().toList()
                    .stream();
        }
    }

    private static Path root() throws URISyntaxException {
        return Path.of(DitGoldenCasesTest.class.getResource("/golden/dit").toURI());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void bothBackendsReproduceDiffusers(String name) throws Exception {
        Path dir = root().resolve(name);
        JsonObject info = JsonParser.parseString(Files.readString(dir.resolve("case.json"))).getAsJsonObject();
        Map<String, HostTensor> given = Safetensors.read(dir.resolve("inputs.safetensors"));
        HostTensor expected = Safetensors.read(dir.resolve("expected.safetensors")).get("sample");
        int batch = info.get("batch").getAsInt();
        int h = info.getAsJsonArray("latent").get(0).getAsInt(), w = info.getAsJsonArray("latent").get(1).getAsInt();
        ImageSize size = new ImageSize(8 * h, 8 * w);
        Denoiser model = Denoiser.load(dir.resolve("config.json").toString());
        assertEquals(info.get("model_class").getAsString(), model.modelClass());
        Map<String, HostTensor> inputs = inputs(model.modelClass(), given, h, w);
        model = model.withTextTokens((int) given.get("encoder_hidden_states").shape()[1]);

        try (SafetensorsWeights weights = SafetensorsWeights.open(dir.resolve("weights.safetensors"))) {
            Set<String> known = new HashSet<>(model.expectedWeights().keySet());
            known.addAll(model.savedBuffers().keySet());
            assertTrue(known.containsAll(weights.names()), "every tensor diffusers saved is one the model reads");
            for (String variant : List.of("dense", "dense:kernel=fused")) {
                var graph = model.build(size, batch, Variant.parse(variant).tokens().patch(), weights);
                for (String backend : List.of("onnxruntime", "djl")) {
                    try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
                        HostTensor out = exe.run(inputs).get(DenoiserIO.OUT_SAMPLE);
                        assertArrayEquals(expected.shape(), out.shape());
                        double err = relativeError(out.toFloats(), expected.toFloats());
                        assertTrue(err <= TOLERANCE, name + " " + backend + " " + variant + ": " + err + " from diffusers");
                    }
                }
            }
        }
    }

    /** The graph's inputs from diffusers' forward arguments; the conventions the graph assumes are checked on the way. */
    private static Map<String, HostTensor> inputs(String modelClass, Map<String, HostTensor> g, int h, int w) {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, g.get("encoder_hidden_states"));
        switch (modelClass) {
            case "PixArtTransformer2DModel" -> {
                in.put(DenoiserIO.SAMPLE, g.get("hidden_states"));
                in.put(DenoiserIO.TIMESTEP, g.get("timestep"));
                in.put(DenoiserIO.ENCODER_ATTENTION_MASK, g.get("encoder_attention_mask"));
                if (g.containsKey("resolution")) {
                    // the graph takes the pipeline's conditions from its size: (height, width) in pixels and their ratio
                    float[] res = g.get("resolution").toFloats(), ratio = g.get("aspect_ratio").toFloats();
                    for (int b = 0; b < ratio.length; b++) {
                        assertArrayEquals(new float[] {8 * h, 8 * w}, new float[] {res[2 * b], res[2 * b + 1]});
                        assertEquals((float) ((double) h / w), ratio[b]);
                    }
                }
            }
            case "SD3Transformer2DModel" -> {
                in.put(DenoiserIO.SAMPLE, g.get("hidden_states"));
                in.put(DenoiserIO.TIMESTEP, g.get("timestep"));
                in.put(DenoiserIO.TEXT_EMBEDS, g.get("pooled_projections"));
            }
            case "FluxTransformer2DModel" -> {
                // the graph packs the latents itself and takes the scheduler's timestep (1000 sigma), as the loop has them
                in.put(DenoiserIO.SAMPLE, g.get("latents"));
                float[] t = g.get("timestep").toFloats();
                for (int i = 0; i < t.length; i++) t[i] *= 1000;
                in.put(DenoiserIO.TIMESTEP, HostTensor.of(t, t.length));
                in.put(DenoiserIO.TEXT_EMBEDS, g.get("pooled_projections"));
                in.put(DenoiserIO.GUIDANCE, g.get("guidance"));
                float[] ids = g.get("img_ids").toFloats();
                int gw = w / 2;
                for (int i = 0; i < ids.length / 3; i++) {
                    assertArrayEquals(new float[] {0, i / gw, i % gw}, new float[] {ids[3 * i], ids[3 * i + 1], ids[3 * i + 2]});
                }
                for (float v : g.get("txt_ids").toFloats()) assertEquals(0f, v, "text tokens sit at position 0");
            }
            default -> throw new AssertionError(modelClass);
        }
        return in;
    }

    private static double relativeError(float[] got, float[] want) {
        double scale = 0, err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(got[i] - want[i]));
        }
        return err / scale;
    }
}
