package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.backend.TorchScriptRuntime;
import org.attnbench.metrics.features.FeatureSets;
import org.attnbench.metrics.features.FrechetDistance;
import org.attnbench.models.inception.FidInception;
import org.attnbench.models.inception.FidInceptionLayout;
import org.attnbench.models.inception.FidInceptionWeights;
import org.attnbench.models.reference.ReferenceInception;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The FID Inception extractor against clean-fid itself (features.safetensors and fid.json, which
 * make_goldens.py computed with clean-fid's pipeline on a seeded pytorch-fid network in both of
 * its published forms) and against the float64 reference, on both backends.
 */
class FidInceptionTest {
    static final Path SAFETENSORS = FidelityGoldens.file("fid-inception/pt_inception-seeded.safetensors");
    static final Path TORCHSCRIPT = FidelityGoldens.file("fid-inception/inception-seeded.pt");
    static final double FEATURE_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void featuresOfBothFormsEqualCleanFidsAndSoDoesTheirFid(String backend) throws IOException {
        JsonObject fid = JsonParser.parseString(Files.readString(FidelityGoldens.file("fid-inception/fid.json"))).getAsJsonObject();
        int half = fid.get("split").getAsInt();
        for (String form : List.of("torchscript", "pytorch_fid")) {
            Path file = form.equals("torchscript") ? TORCHSCRIPT : SAFETENSORS;
            HostTensor actual;
            try (FeatureExtractor ex = FeatureExtractors.open(ExtractorSpec.fidInception(file), Backends.byName(backend), Device.CPU, 8)) {
                actual = ex.features(FidelityGoldens.images());
                assertTrue(ex.setting().contains(form.equals("torchscript") ? "(x - 128) / 128" : "2 (x / 255) - 1"), ex.setting());
            }
            HostTensor expected = golden(form);
            double error = FidelityGoldens.relativeError(actual.toFloats(), expected.toFloats());
            assertTrue(error <= FEATURE_TOLERANCE, form + " on " + backend + ": relative error " + error);

            double[][] rows = FeatureSets.rows(actual);
            double score = FrechetDistance.between(slice(rows, 0, half), slice(rows, half, rows.length));
            double reference = fid.get(form).getAsDouble();
            assertEquals(reference, score, 1e-3 * reference, form + " FID on " + backend);
        }
    }

    @Test
    void frechetDistanceEqualsCleanFidsOnSetsWithMoreRowsThanColumns() throws IOException {
        JsonObject fid = JsonParser.parseString(Files.readString(FidelityGoldens.file("fid-inception/fid.json"))).getAsJsonObject();
        try (SafetensorsFile f = SafetensorsFile.open(FidelityGoldens.file("fid-inception/fid-synthetic.safetensors"))) {
            double score = FrechetDistance.between(FeatureSets.rows(f.tensor("a")), FeatureSets.rows(f.tensor("b")));
            double reference = fid.get("synthetic").getAsDouble();
            assertEquals(reference, score, 1e-6 * reference);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void graphEqualsTheFloat64ReferenceWithBatchNormScales(String backend) {
        FidInceptionWeights weights = withRandomGammas(FidInceptionFile.read(SAFETENSORS).weights());
        HostTensor input = randomInput(2, 7);
        float[] actual = run(backend, weights, input).toFloats();
        ReferenceInception reference = new ReferenceInception(weights);
        float[] x = input.toFloats();
        int per = 3 * 299 * 299;
        int d = actual.length / 2;
        float[] expected = new float[actual.length];
        for (int b = 0; b < 2; b++) {
            double[][][] image = new double[3][299][299];
            for (int c = 0; c < 3; c++) for (int r = 0; r < 299; r++) for (int k = 0; k < 299; k++) {
                image[c][r][k] = x[b * per + (c * 299 + r) * 299 + k];
            }
            double[] f = reference.features(image);
            for (int j = 0; j < d; j++) expected[b * d + j] = (float) f[j];
        }
        double error = FidelityGoldens.relativeError(actual, expected);
        assertTrue(error <= 1e-5, backend + ": relative error " + error);
    }

    @Test
    void graphEqualsTheTorchScriptFilesOwnLayersRunByLibtorch() {
        FidInceptionWeights weights = FidInceptionFile.read(TORCHSCRIPT).weights();
        HostTensor input = randomInput(2, 11);
        float[] graph = run("onnxruntime", weights, input).toFloats();
        float[] own;
        try (TorchScriptRuntime.Module module = FidInceptionFile.loadScript(TORCHSCRIPT)) {
            own = module.run(FidInceptionFile.LAYERS_METHOD, input).get(0).toFloats();
        }
        double error = FidelityGoldens.relativeError(graph, own);
        assertTrue(error <= 1e-5, "relative error " + error);
    }

    private static HostTensor run(String backend, FidInceptionWeights weights, HostTensor input) {
        try (Executable exe = Backends.byName(backend).compile(FidInception.build(weights, (int) input.shape()[0]), Device.CPU,
                CompileOptions.DEFAULT)) {
            return exe.run(Map.of(FidInception.INPUT, input)).get(FidInception.FEATURES);
        }
    }

    static HostTensor golden(String name) {
        try (SafetensorsFile f = SafetensorsFile.open(FidelityGoldens.file("fid-inception/features.safetensors"))) {
            return HostTensor.of(f.tensor(name).toFloats(), f.tensor(name).shape());
        }
    }

    /** Smooth random images in [-1, 1], as an image scaled for the network looks. */
    static HostTensor randomInput(int batch, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[batch * 3 * 299 * 299];
        for (int i = 0; i < v.length; i++) {
            int k = i % 299;
            int r = (i / 299) % 299;
            v[i] = (float) Math.max(-1, Math.min(1, 0.6 * Math.sin(0.05 * k + 0.03 * r + (i / (299 * 299))) + 0.3 * rnd.nextGaussian()));
        }
        return HostTensor.of(v, batch, 3, 299, 299);
    }

    private static FidInceptionWeights withRandomGammas(FidInceptionWeights w) {
        Random rnd = new Random(5);
        Map<String, float[]> gammas = new HashMap<>();
        for (FidInceptionLayout.Unit u : FidInceptionLayout.units()) {
            float[] g = new float[w.unit(u.fidName()).outChannels()];
            for (int i = 0; i < g.length; i++) g[i] = 0.5f + rnd.nextFloat();
            gammas.put(u.fidName(), g);
        }
        return w.withGammas(gammas);
    }

    private static double[][] slice(double[][] rows, int from, int to) {
        return java.util.Arrays.copyOfRange(rows, from, to);
    }
}
