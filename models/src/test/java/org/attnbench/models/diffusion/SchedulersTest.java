package org.attnbench.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;

/**
 * The SD noise schedule and both schedulers on values checked outside this code: the widely
 * quoted SD sigma range (k-diffusion's 0.0292 .. 14.6146), and float64 evaluations of the
 * formulas in the class comments (done by hand in Python). The schedule is diffusers' float32 table,
 * so values are held to float32's precision here; SchedulerGoldensTest holds them to diffusers'
 * own to the bit.
 */
class SchedulersTest {
    private final NoiseSchedule schedule = new NoiseSchedule();

    @Test
    void betaEndpointsAndCumulativeAlpha() {
        assertEquals(0.00085, schedule.beta(0), 1e-7);
        assertEquals(0.012, schedule.beta(999), 1e-7);
        assertEquals(0.99915, schedule.alphaCumprod(0), 1e-7);
        assertEquals(0.004660098513077234, schedule.alphaCumprod(999), 1e-7);
        assertEquals(0.0292, schedule.sigma(0), 1e-4);
        assertEquals(14.6146, schedule.sigma(999), 1e-4);
    }

    @Test
    void pixartsLinearScheduleEndsWhereDdpmsDoes() {
        NoiseSchedule linear = NoiseSchedule.linear(0.0001, 0.02);
        assertEquals(0.0001, linear.beta(0), 1e-7);
        assertEquals(0.02, linear.beta(999), 1e-7);
        assertEquals(0.0001 + 0.0199 * 500 / 999, linear.beta(500), 1e-7);
        assertEquals(4.0358e-5, linear.alphaCumprod(999), 1e-9); // DDPM's alpha_bar_T for these betas
    }

    @Test
    void ddimTimestepsForFiftySteps() {
        Scheduler ddim = Scheduler.of("ddim", 50);
        int[] t = new int[50];
        for (int i = 0; i < 50; i++) t[i] = (int) ddim.timestep(i);
        int[] want = new int[50];
        for (int i = 0; i < 50; i++) want[i] = 981 - 20 * i;
        assertArrayEquals(want, t);
        assertEquals(1, t[49]);
    }

    @Test
    void oneDdimStep() {
        // 50 steps, step 0: t = 981, previous t = 961; x = 0.5, eps = -0.2.
        Scheduler ddim = Scheduler.of("ddim", 50);
        double[] x = {0.5};
        ddim.step(x, new double[] {-0.2}, 0);
        double a = schedule.alphaCumprod(981);
        double aPrev = schedule.alphaCumprod(961);
        assertEquals(0.0057755001394957425, a, 1e-7);
        assertEquals(0.007281727140942975, aPrev, 1e-7);
        assertEquals(0.5860762517383068, x[0], 1e-7);
        assertEquals(1, ddim.initNoiseSigma());
        assertEquals(1, ddim.inputScale(0));
    }

    @Test
    void eulerSigmasForThirtySteps() {
        EulerScheduler euler = (EulerScheduler) Scheduler.of("euler", 30);
        assertEquals(958, euler.timestep(0)); // 29 * (1000 / 30) + 1
        assertEquals(1, euler.timestep(29));
        assertEquals(11.476846458335611, euler.sigma(0), 1e-5);
        assertEquals(0.04131441199678309, euler.sigma(29), 1e-7);
        assertEquals(0, euler.sigma(30));
        assertEquals(11.520330057260107, euler.initNoiseSigma(), 1e-5);
        assertEquals(1 / 11.520330057260107, euler.inputScale(0), 1e-7);
    }

    /** A model that knows x0 predicts eps exactly from what it is fed (the scaled latents). */
    private static double[] perfectEps(double[] fed, double[] x0, double alphaBar) {
        double[] eps = new double[fed.length];
        for (int k = 0; k < fed.length; k++) {
            eps[k] = (fed[k] - Math.sqrt(alphaBar) * x0[k]) / Math.sqrt(1 - alphaBar);
        }
        return eps;
    }

    private double[] sample(Scheduler s, double[] x0, long seed) {
        Random r = new Random(seed);
        double[] x = new double[x0.length];
        for (int k = 0; k < x.length; k++) x[k] = r.nextGaussian() * s.initNoiseSigma();
        for (int i = 0; i < s.steps(); i++) {
            double[] fed = x.clone();
            for (int k = 0; k < fed.length; k++) fed[k] *= s.inputScale(i);
            s.step(x, perfectEps(fed, x0, schedule.alphaCumprod((int) s.timestep(i))), i);
        }
        return x;
    }

    @Test
    void eulerRecoversTheCleanSampleFromAPerfectPredictor() {
        double[] x0 = {0.3, -1.2, 2.0, 0.0, -0.7};
        assertArrayEquals(x0, sample(Scheduler.of("euler", 30), x0, 1), 1e-7);
    }

    @Test
    void ddimRecoversTheCleanSampleUpToTheLastAlpha() {
        // Deterministic DDIM keeps the first noise estimate eps_T all the way down; with
        // set_alpha_to_one false the last step lands on alpha_bar_0 = 0.99915, not 1, so the
        // result is sqrt(alpha_bar_0) x0 + sqrt(1 - alpha_bar_0) eps_T.
        double[] x0 = {0.3, -1.2, 2.0, 0.0, -0.7};
        Scheduler ddim = Scheduler.of("ddim", 50);
        Random r = new Random(1);
        double[] noise = new double[x0.length];
        for (int k = 0; k < noise.length; k++) noise[k] = r.nextGaussian();
        double[] epsT = perfectEps(noise, x0, schedule.alphaCumprod(981));
        double[] want = new double[x0.length];
        double a0 = schedule.alphaCumprod(0);
        for (int k = 0; k < want.length; k++) want[k] = Math.sqrt(a0) * x0[k] + Math.sqrt(1 - a0) * epsT[k];
        assertArrayEquals(want, sample(ddim, x0, 1), 1e-7);
    }

    @Test
    void badNamesAndStepCounts() {
        assertEquals("unknown scheduler 'plms': use one of ddim, euler, euler-ancestral, pndm, dpm++2m",
                assertThrows(UserError.class, () -> Scheduler.of("plms", 50)).getMessage());
        assertThrows(UserError.class, () -> Scheduler.of("ddim", 0));
        assertThrows(UserError.class, () -> Scheduler.of("euler", 1001));
    }

    @Test
    void flowMatchSigmasRunFromOneToTheTwiceShiftedLowerEnd() {
        FlowMatchEulerScheduler flow = FlowMatchEulerScheduler.sd3(28, FlowMatchEulerScheduler.SD3_SHIFT);
        assertEquals(28, flow.steps());
        assertEquals(1000, flow.timestep(0), 1e-9);
        double once = 3 * 0.001 / (1 + 2 * 0.001);
        assertEquals(3 * once / (1 + 2 * once), flow.sigma(27), 1e-7);
        assertEquals(0, flow.sigma(28));
        for (int i = 1; i < 28; i++) assertTrue(flow.sigma(i) < flow.sigma(i - 1), "sigmas fall");
        // shift 3 keeps the first half of the steps at high noise: the midpoint's sigma is above 0.5
        assertTrue(flow.sigma(14) > 0.7, "sigma at step 14: " + flow.sigma(14));
    }

    @Test
    void flowMatchEulerRecoversTheCleanSampleFromAPerfectVelocity() {
        double[] x0 = {0.3, -1.2, 2.0, 0.0, -0.7};
        FlowMatchEulerScheduler flow = FlowMatchEulerScheduler.sd3(7, FlowMatchEulerScheduler.SD3_SHIFT);
        Random r = new Random(3);
        double[] noise = new double[x0.length];
        for (int k = 0; k < noise.length; k++) noise[k] = r.nextGaussian();
        double[] x = noise.clone(); // sigma 1: pure noise
        for (int i = 0; i < flow.steps(); i++) {
            double[] v = new double[x.length];
            for (int k = 0; k < v.length; k++) v[k] = noise[k] - x0[k]; // x_sigma = (1 - sigma) x0 + sigma noise
            flow.step(x, v, i);
        }
        assertArrayEquals(x0, x, 1e-7);
    }

    @Test
    void fluxShiftsByTheImagesTokenCount() {
        assertEquals(0.5, FlowMatchEulerScheduler.mu(256), 1e-7);
        assertEquals(1.15, FlowMatchEulerScheduler.mu(4096), 1e-7);
        assertEquals(0.5 + 0.65 * (1024 - 256) / 3840, FlowMatchEulerScheduler.mu(1024), 1e-7);
        // 1024 px: 64 x 64 packed tokens, mu 1.15; 28 steps from 1 to 1/28, each e^mu / (e^mu + 1/s - 1)
        FlowMatchEulerScheduler dev = FlowMatchEulerScheduler.flux(28, 4096, true);
        assertEquals(1000, dev.timestep(0), 1e-9);
        double e = Math.exp(1.15), s1 = 1 - 1.0 / 28;
        assertEquals(e / (e + 1 / s1 - 1), dev.sigma(1), 1e-7);
        assertEquals(e / (e + 27), dev.sigma(27), 1e-7);
        assertEquals(0, dev.sigma(28));
        // a larger image shifts more: at every step but the first its sigma is higher
        FlowMatchEulerScheduler small = FlowMatchEulerScheduler.flux(28, 1024, true);
        for (int i = 1; i < 28; i++) assertTrue(dev.sigma(i) > small.sigma(i), "step " + i);
    }

    @Test
    void fluxSchnellsScheduleIsNotShifted() {
        FlowMatchEulerScheduler schnell = FlowMatchEulerScheduler.flux(4, 4096, false);
        double[] sigmas = new double[5];
        for (int i = 0; i <= 4; i++) sigmas[i] = schnell.sigma(i);
        assertArrayEquals(new double[] {1, 0.75, 0.5, 0.25, 0}, sigmas, 1e-7);
    }

    @Test
    void dpmSolverStepsAreSpacedAsPixArtsSchedulerSpacesThem() {
        int[] t = new int[20];
        DpmSolverScheduler dpm = new DpmSolverScheduler(NoiseSchedule.linear(0.0001, 0.02), 20);
        for (int i = 0; i < 20; i++) t[i] = (int) dpm.timestep(i);
        // linspace(0, 999, 21) rounded half to even, highest first, 0 dropped: 499.5 rounds to 500
        assertArrayEquals(new int[] {999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200,
            150, 100, 50}, t);
    }

    @Test
    void dpmSolversFirstStepIsDdimsAndItsSecondUsesTheFirstsPrediction() {
        NoiseSchedule schedule = NoiseSchedule.linear(0.0001, 0.02);
        DpmSolverScheduler dpm = new DpmSolverScheduler(schedule, 10);
        double[] x = {0.7, -1.1, 0.2};
        double[] eps = {0.5, 0.1, -0.9};
        double[] ddim = x.clone();
        ddimStep(schedule, ddim, eps, (int) dpm.timestep(0), (int) dpm.timestep(1));
        dpm.step(x, eps, 0);
        assertArrayEquals(ddim, x, 1e-6, "first order: DDIM's update between the same timesteps");
        double[] eps2 = {-0.3, 0.4, 0.8};
        double[] second = x.clone();
        ddimStep(schedule, ddim, eps2, (int) dpm.timestep(1), (int) dpm.timestep(2));
        dpm.step(second, eps2, 1);
        double diff = 0;
        for (int k = 0; k < 3; k++) diff = Math.max(diff, Math.abs(second[k] - ddim[k]));
        assertTrue(diff > 1e-3, "the second step extrapolates the x0 predictions (by " + diff + ")");
    }

    @Test
    void dpmSolverRecoversTheCleanSampleFromAPerfectNoisePrediction() {
        NoiseSchedule schedule = NoiseSchedule.linear(0.0001, 0.02);
        double[] x0 = {0.3, -1.2, 2.0, 0.0, -0.7};
        DpmSolverScheduler dpm = new DpmSolverScheduler(schedule, 8);
        Random r = new Random(5);
        double[] x = new double[x0.length];
        for (int k = 0; k < x.length; k++) x[k] = r.nextGaussian();
        for (int i = 0; i < dpm.steps(); i++) {
            double a = schedule.alphaCumprod((int) dpm.timestep(i));
            double[] eps = new double[x.length];
            for (int k = 0; k < x.length; k++) eps[k] = (x[k] - Math.sqrt(a) * x0[k]) / Math.sqrt(1 - a);
            dpm.step(x, eps, i);
        }
        assertArrayEquals(x0, x, 1e-7, "the last step lands on the predicted x0");
    }

    /** DDIM (eta 0) from training step t to s. */
    private static void ddimStep(NoiseSchedule schedule, double[] x, double[] eps, int t, int s) {
        double a = schedule.alphaCumprod(t), b = schedule.alphaCumprod(s);
        for (int k = 0; k < x.length; k++) {
            double x0 = (x[k] - Math.sqrt(1 - a) * eps[k]) / Math.sqrt(a);
            x[k] = Math.sqrt(b) * x0 + Math.sqrt(1 - b) * eps[k];
        }
    }
}
