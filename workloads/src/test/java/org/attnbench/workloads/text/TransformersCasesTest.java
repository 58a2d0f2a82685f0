package org.attnbench.workloads.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.EncoderWeights;
import org.attnbench.text.encoder.TextEncoderConfig;
import org.attnbench.text.reference.ReferenceTextEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encoders that transformers itself made and saved (text-encoders/, written by make.py there), with
 * the configs its current version writes, against its own outputs on the same ids: CLIPTextModel
 * (saved, as transformers 5 saves it, without the text_model. prefix) with the legacy pooling rule,
 * with and without a padding mask (which the goldens' pipelines never pass), CLIPTextModelWithProjection in two shards pooling at an eos inside the text, and T5 with an
 * inner width other than d_model, with and without a mask; on both backends and in the float64 reference.
 */
class TransformersCasesTest {
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"clip-legacy", "clip-legacy-masked", "clip-projection", "t5", "t5-masked"})
    void everyOutputEqualsTransformers(String name) throws URISyntaxException {
        Path root = Path.of(TransformersCasesTest.class.getResource("/text-encoders/cases.safetensors").toURI()).getParent();
        Map<String, HostTensor> cases = Safetensors.read(root.resolve("cases.safetensors"));
        Path folder = root.resolve(name.replace("-masked", ""));
        long[][] ids = TextGoldens.rows(cases.get(name + ".input_ids"));
        HostTensor mask = cases.get(name + ".attention_mask");
        long[][] masks = mask == null ? null : TextGoldens.rows(mask);
        TextEncoderConfig config = TextEncoderConfig.read(folder.resolve("config.json"));
        List<String> outputs = config.outputs();
        for (String backend : List.of("onnxruntime", "djl", "reference")) {
            Map<String, HostTensor> got;
            if (backend.equals("reference")) {
                try (WeightSource w = EncoderWeights.open(folder)) {
                    got = ReferenceTextEncoder.encode(config, w, ids, masks);
                }
            } else {
                try (TextEncoderRunner runner = TextEncoderRunner.open(folder.resolve("config.json"), folder,
                        Backends.byName(backend), Device.CPU)) {
                    got = runner.encode(ids, masks);
                }
            }
            assertEquals(outputs, List.copyOf(got.keySet()));
            for (String output : outputs) {
                TextGoldens.assertClose(cases.get(name + "." + output), got.get(output), TOLERANCE,
                        name + " " + output + " on " + backend);
            }
        }
    }
}
