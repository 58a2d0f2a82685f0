package org.attnbench.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scheduler against diffusers v0.40's own on the goldens in resources/schedulers (see its
 * README): timesteps exactly (as the float32 diffusers feeds the model), sigmas and
 * init_noise_sigma within 1e-6 relative, and every step of a run on diffusers' own inputs (each
 * step starts from diffusers' sample, so errors do not compound) within 1e-6 of the step's largest
 * value (relative to each value would not do: diffusers steps in float32, about 6e-8 relative per
 * operation, and an update can cancel terms far larger than its result; the largest error seen is
 * 3.5e-7), this code in float64 on the same float32 schedule. The training schedule is diffusers' float32 table to the bit (see {@link NoiseSchedule}),
 * but torch's float32 square root (Sleef's, 0.5001 ulp) rounds a few of its sigmas the other way
 * than a correctly rounded one: sigmas are equal to about 1 ulp, so Euler's continuous timesteps,
 * 0.25 log(sigma), are held within 1e-7 rather than exactly.
 */
class SchedulerGoldensTest {
    static final double SIGMA_TOLERANCE = 1e-6;
    static final double STEP_TOLERANCE = 1e-6;

    static JsonObject goldens() {
        try (InputStream in = SchedulerGoldensTest.class.getResourceAsStream("/schedulers/goldens.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesDiffusers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : goldens().getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            String name = c.get("name").getAsString();
            SchedulerConfig config = SchedulerConfig.of(name, c.getAsJsonObject("config"));
            FlowMatchEulerScheduler.Pipeline flow = new FlowMatchEulerScheduler.Pipeline(
                    c.has("image_tokens") ? c.get("image_tokens").getAsInt() : 0, c.get("flux_sigmas").getAsBoolean());
            for (JsonElement s : c.getAsJsonArray("schedules")) {
                JsonObject schedule = s.getAsJsonObject();
                int steps = schedule.get("steps").getAsInt();
                tests.add(DynamicTest.dynamicTest(name + ", " + steps + " steps: schedule",
                        () -> checkSchedule(Scheduler.fromConfig(config, steps, flow), config, flow, schedule)));
            }
            for (JsonElement r : c.getAsJsonArray("runs")) {
                JsonObject run = r.getAsJsonObject();
                int steps = run.get("steps").getAsInt();
                tests.add(DynamicTest.dynamicTest(name + ", " + steps + " steps: every step",
                        () -> checkRun(Scheduler.fromConfig(config, steps, flow), run.getAsJsonArray("trajectory"))));
            }
        }
        return tests.stream();
    }

    private static void checkSchedule(Scheduler scheduler, SchedulerConfig config, FlowMatchEulerScheduler.Pipeline flow,
            JsonObject golden) {
        double[] timesteps = doubles(golden.getAsJsonArray("timesteps"));
        assertEquals(timesteps.length, scheduler.steps(), "timesteps");
        // Euler's continuous timesteps are 0.25 log(sigma): within 1e-7 (see the class comment)
        boolean logarithm = config.json().has("timestep_type") && config.json().get("timestep_type").getAsString().equals("continuous");
        for (int i = 0; i < timesteps.length; i++) {
            assertEquals((float) timesteps[i], (float) scheduler.timestep(i), logarithm ? 1e-7 : 0, "timestep " + i);
        }
        assertClose(golden.get("init_noise_sigma").getAsDouble(), scheduler.initNoiseSigma(), SIGMA_TOLERANCE, "init_noise_sigma");
        if (golden.has("sigmas")) {
            double[] sigmas = doubles(golden.getAsJsonArray("sigmas"));
            for (int i = 0; i < sigmas.length; i++) assertClose(sigmas[i], sigma(scheduler, i), SIGMA_TOLERANCE, "sigma " + i);
        }
        if (golden.has("mu")) {
            assertEquals(golden.get("mu").getAsDouble(), FlowMatchEulerScheduler.Settings.of(config).mu(flow.imageTokens()),
                    1e-15, "mu");
        }
    }

    private static void checkRun(Scheduler scheduler, JsonArray trajectory) {
        scheduler.begin(0);
        assertEquals(trajectory.size(), scheduler.steps());
        for (int i = 0; i < trajectory.size(); i++) {
            JsonObject step = trajectory.get(i).getAsJsonObject();
            assertEquals((float) step.get("timestep").getAsDouble(), (float) scheduler.timestep(i), "timestep " + i);
            assertClose(step.get("input_scale").getAsDouble(), scheduler.inputScale(i), SIGMA_TOLERANCE, "input scale " + i);
            double[] x = doubles(step.getAsJsonArray("sample"));
            double[] output = doubles(step.getAsJsonArray("model_output"));
            if (scheduler instanceof EulerAncestralScheduler ancestral) {
                ancestral.step(x, output, i, doubles(step.getAsJsonArray("noise")));
            } else {
                scheduler.step(x, output, i);
            }
            double[] want = doubles(step.getAsJsonArray("prev_sample"));
            double scale = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            for (int k = 0; k < want.length; k++) {
                double error = Math.abs(x[k] - want[k]);
                assertTrue(error <= STEP_TOLERANCE * scale, "step " + i + " value " + k + ": " + x[k] + " vs diffusers' "
                        + want[k] + " (error " + error / scale + " of the largest value)");
            }
        }
    }

    static double sigma(Scheduler scheduler, int i) {
        if (scheduler instanceof EulerScheduler s) return s.sigma(i);
        if (scheduler instanceof EulerAncestralScheduler s) return s.sigma(i);
        if (scheduler instanceof DpmSolverScheduler s) return s.sigma(i);
        if (scheduler instanceof FlowMatchEulerScheduler s) return s.sigma(i);
        throw new AssertionError(scheduler.name() + " has no sigmas");
    }

    static void assertClose(double want, double got, double relative, String what) {
        assertTrue(Math.abs(got - want) <= relative * Math.abs(want), what + ": " + got + " vs diffusers' " + want);
    }

    static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
        return out;
    }
}
