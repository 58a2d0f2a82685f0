package org.attnbench.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.attnbench.cli.Main;
import org.attnbench.harness.WidePipelines;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.TextEncoders;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A measurement, run on demand ({@code -Dattnbench.measure=memory}; it writes about 1.5 GB per folder
 * and needs about 3 GB free): a sweep with prompts on an SD3- and a Flux-shaped pipeline folder, small
 * but wide ({@link WidePipelines}), its cell in a JVM of its own. It prints the peak resident memory
 * (VmHWM) of the process that encoded the prompts and of the one that ran the denoiser, and checks that
 * the encoding process held the text encoders' float32 weights while the cell's process never did:
 * the run's peak is the larger of the two, not their sum.
 */
@EnabledIfSystemProperty(named = "attnbench.measure", matches = "memory")
class PipelineMemoryTest {
    private static final double MIB = 1024 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"sd3", "flux"})
    void encodingAndDenoisingPeakApart(String shape, @TempDir Path dir) throws Exception {
        Path text = GoldenCase.folder().resolve("text");
        Path pipeline = shape.equals("sd3") ? WidePipelines.sd3(dir.resolve(shape), text) : WidePipelines.flux(dir.resolve(shape), text);
        PipelineFolder folder = PipelineFolder.open(pipeline);
        var encoding = PromptEncoder.of(folder, TextEncoders.of(folder, null, null), null, w -> {}).memory();
        Denoiser denoiser = PipelineModel.open(pipeline, null, true).denoiser(org.attnbench.models.dit.BlockRange.ALL);
        double denoiserWeightsMib = denoiser.expectedWeights().values().stream()
                .mapToDouble(s -> 4.0 * java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum() / MIB;
        Path config = dir.resolve("memory.yaml");
        Files.writeString(config, """
                name: memory-%s
                backends: [onnxruntime]
                workloads:
                  - unet: {pipeline: %s, resolutions: [256], steps: 1}
                variants: [dense]
                prompts: [a red fox in the snow, two cats asleep on a windowsill]
                timing: {warmup: 0, iterations: 1, forks: 1}
                fidelity: {save_outputs: false}
                ceilings: false
                """.formatted(shape, pipeline));
        Path out = dir.resolve("run");
        assertEquals(0, Main.execute("run", config.toString(), "--out", out.toString()));
        PromptEncoding e = PromptEncoding.all(out).get(0);
        double encodingPeak = e.sessions().get(0).peakRssMb();
        List<ResultRow> rows = RunFolder.open(out).rows();
        assertTrue(rows.get(0).ok(), rows.get(0).error());
        double cellPeak = rows.get(0).memory().peakRssMb();
        double encoderWeightsMib = encoding.weightBytes() / MIB;
        System.out.printf(Locale.ROOT, "%s-shaped folder: largest text encoder %.0f MiB of float32 weights (estimate with"
                        + " activations %.0f MiB), denoiser %.0f MiB; peak RSS encoding %.0f MiB, denoising cell %.0f MiB;"
                        + " run peak %.0f MiB (their sum would be %.0f MiB)%n", shape, encoderWeightsMib,
                encoding.totalBytes() / MIB, denoiserWeightsMib, encodingPeak, cellPeak, Math.max(encodingPeak, cellPeak),
                encodingPeak + cellPeak);
        assertTrue(encodingPeak > encoderWeightsMib, "the encoding process held the encoder's weights");
        assertTrue(cellPeak < encoderWeightsMib + denoiserWeightsMib, "the cell's process never held the text encoders' weights");
        try (var links = Files.list(pipeline)) { // the golden tokenizers stay; only the links go
            for (Path link : links.filter(Files::isSymbolicLink).toList()) Files.delete(link);
        }
    }
}
