package org.attnbench.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.models.vae.VaeDecoder;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case in {@code ../shared/golden} (made by running diffusers, tomesd and ToDo's own code)
 * on both backends: the UNet or VAE built from the case's config.json and weights, with the case's
 * variant spec, reproduces the reference output within the case's tolerance. A patched case must
 * also move the output away from the reference's unpatched output, and the unpatched model must
 * reproduce that one, so a patch that silently does nothing fails, and so does a UNet that is wrong
 * both ways.
 */
class GoldenCasesTest {
    private static final List<String> BACKENDS = List.of("onnxruntime", "djl");
    /** How far a patched output must sit from dense, in tolerances (the cases' patches move it 800 or more). */
    private static final double PATCH_EFFECT = 100;

    @TestFactory
    Stream<DynamicTest> everyCaseOnBothBackends() {
        Path folder = GoldenCase.folder();
        if (!Files.isDirectory(folder)) {
            String message = "golden cases not found at " + folder + ": they live in shared/golden beside the checkout"
                    + " (or pass -D" + GoldenCase.PROPERTY + "=DIR)";
            if (System.getenv(GoldenCase.CI) != null) fail(message);
            Assumptions.abort(message);
        }
        List<GoldenCase> cases = GoldenCase.all(folder);
        assertFalse(cases.isEmpty(), "no case.json under " + folder);
        return cases.stream().flatMap(c -> BACKENDS.stream().map(b -> dynamicTest(c.name() + " on " + b, () -> check(c, b))));
    }

    private static void check(GoldenCase c, String backend) {
        switch (c.modelClass()) {
            case "UNet2DConditionModel" -> checkUNet(c, backend);
            case "AutoencoderKL" -> checkVae(c, backend);
            default -> fail(c.name() + ": no check for model class " + c.modelClass());
        }
    }

    private static void checkUNet(GoldenCase c, String backend) {
        UNetConfig config = UNetConfig.load(c.config().toString());
        ImageSize size = new ImageSize(c.latentHeight() * DenoiserIO.VAE_FACTOR, c.latentWidth() * DenoiserIO.VAE_FACTOR);
        Map<String, HostTensor> inputs = c.inputs();
        Map<String, HostTensor> expected = c.expected();
        org.attnbench.models.attention.TokenPatch patch = Variant.parse(c.variant()).tokens().patchAt(c.timestep());
        HostTensor out = runUNet(config, size, c, patch, backend, inputs);
        assertWithin(c, expected.get("out_sample"), out, backend + ", " + patch.describe());

        HostTensor dense = expected.get("out_sample_dense");
        if (dense == null) return;
        double effect = GoldenCase.relativeError(dense, out);
        assertTrue(effect > PATCH_EFFECT * c.tolerance(), c.name() + " on " + backend + ": the patch moved the output only "
                + effect + " from dense; it did not take effect");
        HostTensor unpatched = runUNet(config, size, c, Variant.parse("dense").tokens().patch(), backend, inputs);
        assertWithin(c, dense, unpatched, backend + ", dense before the patch");
    }

    private static HostTensor runUNet(UNetConfig config, ImageSize size, GoldenCase c, org.attnbench.models.attention.TokenPatch patch, String backend,
                                      Map<String, HostTensor> inputs) {
        try (SafetensorsWeights weights = SafetensorsWeights.open(c.weights())) {
            return run(UNetGraph.build(config, size, c.batch(), patch, weights), backend, inputs).get(DenoiserIO.OUT_SAMPLE);
        }
    }

    private static void checkVae(GoldenCase c, String backend) {
        VaeConfig config = VaeConfig.read(c.config());
        try (SafetensorsWeights weights = SafetensorsWeights.open(c.weights())) {
            OnnxModel decoder = VaeDecoder.build(config, c.latentHeight(), c.latentWidth(), weights);
            HostTensor image = run(decoder, backend, c.inputs()).get(VaeDecoder.OUTPUT);
            assertWithin(c, c.expected().get(VaeDecoder.OUTPUT), image, backend);
        }
    }

    private static Map<String, HostTensor> run(OnnxModel model, String backend, Map<String, HostTensor> inputs) {
        try (Executable exe = Backends.byName(backend).compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            return exe.run(inputs);
        }
    }

    private static void assertWithin(GoldenCase c, HostTensor expected, HostTensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), c.name() + " (" + what + "): output shape");
        double err = GoldenCase.relativeError(expected, actual);
        System.out.printf("golden %s (%s): relative error %.2e%n", c.name(), what, err);
        assertTrue(err <= c.tolerance(), c.name() + " (" + what + "): relative error " + err + " > " + c.tolerance());
    }
}
