package org.attnbench.workloads.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.EncoderWeights;
import org.attnbench.text.encoder.TextEncoderConfig;
import org.attnbench.text.reference.ReferenceTextEncoder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The encoders of every pipeline in {@code ../shared/golden/text}, on the positive prompts' token ids
 * each run recorded, reproduce what diffusers' encode_prompt handed the denoiser (within 1e-4 of the
 * largest value), on both backends and in the float64 reference: SD 1.5's and SD 2's last hidden
 * state (quick_gelu and gelu, float16 weights), SDXL's two penultimate states side by side and its
 * second encoder's text_embeds, SD3's two CLIPs' penultimate states padded to T5's width with T5's
 * unmasked states after them and both text_embeds, Flux's T5 (bfloat16, two shards) unmasked and
 * its CLIP's pooler_output (a legacy eos_token_id 2 config, pooled at the first largest id), and
 * PixArt-Σ's T5 under its attention mask.
 */
class TextEncoderGoldenTest {
    private static final List<String> ENCODERS = List.of("onnxruntime", "djl", "reference");
    private static final List<String> RUNS = List.of("run-sd15", "run-sd2", "run-sdxl-zeros", "run-sdxl-explicit-empty",
            "run-sd3", "run-flux-512", "run-flux-256-file", "run-pixart-sigma");

    /** What the checks call an encoder: a runner on a backend, or the float64 reference. */
    private interface Encoder extends AutoCloseable {
        Map<String, HostTensor> encode(long[][] ids, long[][] mask);

        @Override
        void close();
    }

    @TestFactory
    Stream<DynamicTest> everyRunOnBothBackendsAndTheReference() {
        Path folder = TextGoldens.folder();
        List<DynamicTest> tests = new ArrayList<>();
        for (String run : RUNS) {
            for (String encoder : ENCODERS) tests.add(dynamicTest(run + " on " + encoder, () -> check(folder, run, encoder)));
        }
        return tests.stream();
    }

    private static void check(Path folder, String run, String encoder) {
        Map<String, HostTensor> expected = TextGoldens.expected(folder, run);
        Map<String, HostTensor> actual = new HashMap<>();
        String pipeline = run.replaceFirst("^run-", "").replaceFirst("-(zeros|explicit-empty|512|256-file)$", "");
        Map<String, Encoder> opened = new HashMap<>();
        try {
            java.util.function.Function<String, Encoder> component = name -> opened.computeIfAbsent(name,
                    n -> open(folder.resolve(pipeline).resolve(n), encoder));
            long[][] ids = TextGoldens.rows(expected.get("input_ids"));
            switch (pipeline) {
                case "sd15", "sd2" -> actual.put("prompt_embeds", component.apply("text_encoder").encode(ids, null)
                        .get(TextEncoderConfig.LAST_HIDDEN_STATE));
                case "sdxl" -> {
                    var one = component.apply("text_encoder").encode(ids, null);
                    var two = component.apply("text_encoder_2").encode(TextGoldens.rows(expected.get("input_ids_2")), null);
                    actual.put("prompt_embeds", Stacking.concatLast(one.get(TextEncoderConfig.PENULTIMATE_HIDDEN_STATE),
                            two.get(TextEncoderConfig.PENULTIMATE_HIDDEN_STATE)));
                    actual.put("pooled_prompt_embeds", two.get(TextEncoderConfig.TEXT_EMBEDS));
                }
                case "sd3" -> {
                    var one = component.apply("text_encoder").encode(ids, null);
                    var two = component.apply("text_encoder_2").encode(TextGoldens.rows(expected.get("input_ids_2")), null);
                    HostTensor t5 = component.apply("text_encoder_3").encode(TextGoldens.rows(expected.get("input_ids_3")), null)
                            .get(TextEncoderConfig.LAST_HIDDEN_STATE);
                    HostTensor clip = Stacking.concatLast(one.get(TextEncoderConfig.PENULTIMATE_HIDDEN_STATE),
                            two.get(TextEncoderConfig.PENULTIMATE_HIDDEN_STATE));
                    actual.put("prompt_embeds", Stacking.concatRows(Stacking.padLast(clip, t5.shape()[2]), t5));
                    actual.put("pooled_prompt_embeds", Stacking.concatLast(one.get(TextEncoderConfig.TEXT_EMBEDS),
                            two.get(TextEncoderConfig.TEXT_EMBEDS)));
                }
                case "flux" -> {
                    actual.put("prompt_embeds", component.apply("text_encoder_2")
                            .encode(TextGoldens.rows(expected.get("input_ids_2")), null).get(TextEncoderConfig.LAST_HIDDEN_STATE));
                    actual.put("pooled_prompt_embeds", component.apply("text_encoder").encode(ids, null)
                            .get(TextEncoderConfig.POOLER_OUTPUT));
                }
                case "pixart-sigma" -> actual.put("prompt_embeds", component.apply("text_encoder")
                        .encode(ids, TextGoldens.rows(expected.get("prompt_attention_mask")))
                        .get(TextEncoderConfig.LAST_HIDDEN_STATE));
                default -> throw new AssertionError("no check for pipeline " + pipeline);
            }
        } finally {
            opened.values().forEach(Encoder::close);
        }
        assertEquals(pipeline.equals("sd15") || pipeline.equals("sd2") || pipeline.equals("pixart-sigma") ? 1 : 2,
                actual.size(), "tensors checked");
        actual.forEach((name, tensor) -> TextGoldens.assertClose(expected.get(name), tensor, TextGoldens.TOLERANCE,
                run + " " + name + " on " + encoder));
    }

    private static Encoder open(Path component, String encoder) {
        Path config = component.resolve("config.json");
        if (!encoder.equals("reference")) {
            TextEncoderRunner runner = TextEncoderRunner.open(config, component, Backends.byName(encoder), Device.CPU);
            return new Encoder() {
                public Map<String, HostTensor> encode(long[][] ids, long[][] mask) {
                    return runner.encode(ids, mask);
                }

                public void close() {
                    runner.close();
                }
            };
        }
        TextEncoderConfig c = TextEncoderConfig.read(config);
        WeightSource weights = EncoderWeights.open(component);
        return new Encoder() {
            public Map<String, HostTensor> encode(long[][] ids, long[][] mask) {
                return ReferenceTextEncoder.encode(c, weights, ids, mask);
            }

            public void close() {
                weights.close();
            }
        };
    }
}
