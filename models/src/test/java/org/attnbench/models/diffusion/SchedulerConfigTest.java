package org.attnbench.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.ImageSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict reader of scheduler_config.json, the shipped configs, and a name overriding a checkpoint's scheduler. */
class SchedulerConfigTest {
    private static final ImageSize SIZE = ImageSize.square(1024);

    static Path shipped(String name) {
        try {
            return Path.of(SchedulerConfigTest.class.getResource("/schedulers/configs/" + name + ".json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject json(String name) {
        try (InputStream in = SchedulerConfigTest.class.getResourceAsStream("/schedulers/configs/" + name + ".json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A shipped config with one key changed, read as a file of that name. */
    static SchedulerConfig edited(String name, String key, String jsonValue) {
        JsonObject o = json(name);
        o.add(key, JsonParser.parseString(jsonValue));
        return SchedulerConfig.parse(name + ".json", o.toString());
    }

    static String refusal(SchedulerConfig config) {
        return assertThrows(UserError.class, () -> Scheduler.fromConfig(config, 20, new FlowMatchEulerScheduler.Pipeline(4096, false)))
                .getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sd15", "sd21", "sd21-base", "sdxl", "pixart-alpha", "pixart-sigma"})
    void shippedNoiseConfigsRead(String name) {
        Scheduler s = Denoiser.load("tiny").scheduler(shipped(name).toString(), 20, ImageSize.square(64));
        assertTrue(s.steps() >= 20, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sd3-medium", "sd35-large", "flux1-dev", "flux1-schnell"})
    void shippedFlowConfigsRead(String name) {
        Denoiser model = Denoiser.load(name.startsWith("flux") ? "flux-tiny" : "sd3-tiny");
        Scheduler s = model.scheduler(shipped(name).toString(), 28, ImageSize.square(256));
        assertEquals(28, s.steps());
        assertEquals(1000, s.timestep(0), 1e-3);
    }

    @Test
    void theClassesOfTheShippedConfigs() {
        assertInstanceOf(PndmScheduler.class, Scheduler.fromConfig(SchedulerConfig.read(shipped("sd15")), 50,
                FlowMatchEulerScheduler.Pipeline.NONE));
        assertInstanceOf(DdimScheduler.class, Scheduler.fromConfig(SchedulerConfig.read(shipped("sd21")), 50,
                FlowMatchEulerScheduler.Pipeline.NONE));
        assertInstanceOf(EulerScheduler.class, Scheduler.fromConfig(SchedulerConfig.read(shipped("sdxl")), 50,
                FlowMatchEulerScheduler.Pipeline.NONE));
        assertInstanceOf(DpmSolverScheduler.class, Scheduler.fromConfig(SchedulerConfig.read(shipped("pixart-sigma")), 20,
                FlowMatchEulerScheduler.Pipeline.NONE));
        // PLMS: 50 steps are 51 model evaluations, the second timestep twice
        Scheduler plms = Scheduler.fromConfig(SchedulerConfig.read(shipped("sd15")), 50, FlowMatchEulerScheduler.Pipeline.NONE);
        assertEquals(51, plms.steps());
        assertEquals(981, plms.timestep(0));
        assertEquals(961, plms.timestep(1));
        assertEquals(961, plms.timestep(2));
        assertEquals(1, plms.timestep(50));
    }

    @Test
    void unknownKeysAreRefusedByNameWithASuggestion() {
        assertEquals("scheduler config sd15.json: unknown key 'prediciton_type' (did you mean 'prediction_type'?)",
                assertThrows(UserError.class, () -> edited("sd15", "prediciton_type", "\"epsilon\"")).getMessage());
        assertEquals("scheduler config sd15.json: unknown key 'karras'",
                assertThrows(UserError.class, () -> edited("sd15", "karras", "true")).getMessage());
    }

    @Test
    void keysOfOtherSchedulersAreIgnoredAsDiffusersIgnoresThem() {
        // SD 2.1's DDIM config carries PNDM's skip_prk_steps; an SD config may carry DPM-Solver's solver_order
        Scheduler ddim = Scheduler.fromConfig(edited("sd21", "solver_order", "\"anything\""), 20, FlowMatchEulerScheduler.Pipeline.NONE);
        assertEquals(20, ddim.steps());
    }

    @Test
    void wrongTypesAndUnsupportedSettingsNameTheKeyAndTheFile() {
        assertEquals("scheduler config sd15.json: steps_offset must be an integer of at least 0, got \"1\"",
                refusal(edited("sd15", "steps_offset", "\"1\"")));
        assertEquals("scheduler config sd21.json: clip_sample must be true or false, got 1", refusal(edited("sd21", "clip_sample", "1")));
        assertEquals("scheduler config sd21.json: prediction_type must be one of epsilon, v_prediction, sample, got 'v-prediction' "
                + "(did you mean 'v_prediction'?)", refusal(edited("sd21", "prediction_type", "\"v-prediction\"")));
        assertEquals("scheduler config sd21.json: thresholding=true is not supported by DDIMScheduler here; implemented: false",
                refusal(edited("sd21", "thresholding", "true")));
        assertEquals("scheduler config sd15.json: skip_prk_steps=false is not supported by PNDMScheduler here; implemented: true",
                refusal(edited("sd15", "skip_prk_steps", "false")));
        assertEquals("scheduler config pixart-sigma.json: use_karras_sigmas=true is not supported by DPMSolverMultistepScheduler "
                + "here; implemented: false", refusal(edited("pixart-sigma", "use_karras_sigmas", "true")));
        assertEquals("scheduler config pixart-sigma.json: algorithm_type=\"sde-dpmsolver++\" is not supported by "
                + "DPMSolverMultistepScheduler here; implemented: dpmsolver++",
                refusal(edited("pixart-sigma", "algorithm_type", "\"sde-dpmsolver++\"")));
        assertEquals("scheduler config pixart-sigma.json: solver_order=3 is not supported by DPMSolverMultistepScheduler here; "
                + "implemented: 1, 2", refusal(edited("pixart-sigma", "solver_order", "3")));
        assertTrue(refusal(edited("sdxl", "trained_betas", "[0.1, 0.2]")).contains("trained_betas=[0.1,0.2] is not supported"));
        assertTrue(refusal(edited("sdxl", "rescale_betas_zero_snr", "true")).contains("rescale_betas_zero_snr=true"));
        assertTrue(refusal(edited("sdxl", "interpolation_type", "\"log_linear\"")).contains("interpolation_type=\"log_linear\""));
        assertTrue(refusal(edited("flux1-dev", "stochastic_sampling", "true")).contains("stochastic_sampling=true"));
        JsonObject ancestral = json("sdxl");
        ancestral.addProperty("_class_name", EulerAncestralScheduler.CLASS);
        ancestral.addProperty("prediction_type", "sample");
        assertTrue(refusal(SchedulerConfig.of("a.json", ancestral)).contains("prediction_type=\"sample\" is not supported"));
    }

    @Test
    void aClassThatIsNotSupportedIsRefusedWithTheOnesThatAre() {
        JsonObject o = json("sdxl");
        o.addProperty("_class_name", "LMSDiscreteScheduler");
        assertEquals("scheduler config x.json: LMSDiscreteScheduler is not supported; use one of PNDMScheduler, DDIMScheduler, "
                + "EulerDiscreteScheduler, EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler, "
                + "FlowMatchEulerDiscreteScheduler (or name a scheduler to override it)",
                assertThrows(UserError.class, () -> SchedulerConfig.of("x.json", o)).getMessage());
        assertThrows(UserError.class, () -> SchedulerConfig.parse("x.json", "[1, 2]"));
        assertThrows(UserError.class, () -> SchedulerConfig.parse("x.json", "{\"shift\": 3"));
        assertEquals("no such scheduler config: nowhere/scheduler_config.json",
                assertThrows(UserError.class, () -> Denoiser.load("tiny").scheduler("nowhere/scheduler_config.json", 4, SIZE))
                        .getMessage());
    }

    @Test
    void aNoiseModelRefusesAFlowConfigAndAFlowModelANoiseConfig() {
        assertTrue(assertThrows(UserError.class, () -> Denoiser.load("tiny").scheduler(shipped("flux1-dev").toString(), 4, SIZE))
                .getMessage().contains("is for flow models"));
        assertTrue(assertThrows(UserError.class, () -> Denoiser.load("sd3-tiny").scheduler(shipped("sd15").toString(), 4, SIZE))
                .getMessage().contains("predicts a flow velocity"));
    }

    @Test
    void aNameOverridesTheCheckpointsSchedulerWithItsSchedule() {
        // SD 1.5's PNDM config read as DDIM is the named ddim (SD's settings); PixArt's config is the named dpm++2m
        Denoiser sd = Denoiser.load("tiny");
        SchedulerConfig sd15 = SchedulerConfig.read(shipped("sd15"));
        assertSameSampler(sd.namedScheduler("ddim", 25, SIZE), sd.scheduler("ddim", sd15, 25, SIZE));
        assertSameSampler(sd.namedScheduler("euler", 25, SIZE), sd.scheduler("euler", SchedulerConfig.read(shipped("sdxl")), 25, SIZE));
        assertSameSampler(sd.namedScheduler("pndm", 25, SIZE), Scheduler.fromConfig(sd15, 25, FlowMatchEulerScheduler.Pipeline.NONE));
        Denoiser pixart = Denoiser.load("pixart-tiny");
        assertSameSampler(pixart.namedScheduler("dpm++2m", 20, SIZE),
                pixart.scheduler(SchedulerConfig.read(shipped("pixart-sigma")), 20, SIZE));
        // SD 2.1's v-prediction carries over to the named Euler; euler on a flow model keeps its flow config
        Scheduler v = sd.scheduler("euler", SchedulerConfig.read(shipped("sd21")), 10, SIZE);
        assertInstanceOf(EulerScheduler.class, v);
        double[] x = {0.5};
        v.step(x, new double[] {0.5}, 0);
        double[] eps = {0.5};
        Scheduler named = sd.namedScheduler("euler", 10, SIZE);
        named.step(eps, new double[] {0.5}, 0);
        assertTrue(Math.abs(x[0] - eps[0]) > 1e-3, "a v-prediction steps differently from a noise prediction");
        Denoiser flux = Denoiser.load("flux-tiny");
        SchedulerConfig dev = SchedulerConfig.read(shipped("flux1-dev"));
        assertSameSampler(flux.scheduler(dev, 28, SIZE), flux.scheduler("euler", dev, 28, SIZE));
    }

    @Test
    void theBundledFlowDefaultsAreTheShippedConfigs() {
        Denoiser sd3 = Denoiser.load("sd3-tiny");
        ImageSize small = ImageSize.square(256);
        assertSameSampler(sd3.namedScheduler("euler", 28, small), sd3.scheduler(SchedulerConfig.read(shipped("sd3-medium")), 28, small));
        Denoiser dev = Denoiser.load("flux-dev");
        assertSameSampler(dev.namedScheduler("euler", 28, SIZE), dev.scheduler(SchedulerConfig.read(shipped("flux1-dev")), 28, SIZE));
        Denoiser schnell = Denoiser.load("flux-schnell");
        assertSameSampler(schnell.namedScheduler("euler", 4, SIZE),
                schnell.scheduler(SchedulerConfig.read(shipped("flux1-schnell")), 4, SIZE));
    }

    @Test
    void eulerAncestralDrawsTheImagesSeededNoise() {
        SchedulerConfig config = SchedulerConfig.read(shipped("sdxl")).as(EulerAncestralScheduler.CLASS);
        double[] a = run(Scheduler.fromConfig(config, 6, FlowMatchEulerScheduler.Pipeline.NONE), 7);
        double[] b = run(Scheduler.fromConfig(config, 6, FlowMatchEulerScheduler.Pipeline.NONE), 7);
        double[] c = run(Scheduler.fromConfig(config, 6, FlowMatchEulerScheduler.Pipeline.NONE), 8);
        assertArrayEquals(a, b, 0, "the same seed draws the same noise");
        assertTrue(Math.abs(a[0] - c[0]) > 1e-6, "another seed draws other noise");
        EulerAncestralScheduler unseeded = (EulerAncestralScheduler) Scheduler.fromConfig(config, 6, FlowMatchEulerScheduler.Pipeline.NONE);
        assertThrows(IllegalStateException.class, () -> unseeded.step(new double[1], new double[1], 0));
    }

    private static double[] run(Scheduler s, long seed) {
        s.begin(seed);
        double[] x = {1.0, -2.0, 0.5};
        for (int i = 0; i < s.steps(); i++) s.step(x, new double[] {0.1, 0.2, -0.3}, i);
        return x;
    }

    /** Equal timesteps, scales and steps on the same inputs. */
    static void assertSameSampler(Scheduler want, Scheduler got) {
        assertEquals(want.steps(), got.steps());
        assertEquals(want.initNoiseSigma(), got.initNoiseSigma(), 0);
        Random r = new Random(3);
        double[] x = new double[5];
        double[] y = new double[5];
        for (int k = 0; k < 5; k++) x[k] = y[k] = r.nextGaussian();
        want.begin(1);
        got.begin(1);
        for (int i = 0; i < want.steps(); i++) {
            assertEquals(want.timestep(i), got.timestep(i), 0, "timestep " + i);
            assertEquals(want.inputScale(i), got.inputScale(i), 0, "input scale " + i);
            double[] out = new double[5];
            for (int k = 0; k < 5; k++) out[k] = r.nextGaussian();
            want.step(x, out, i);
            got.step(y, out, i);
            assertArrayEquals(x, y, 0, "step " + i);
        }
    }
}
