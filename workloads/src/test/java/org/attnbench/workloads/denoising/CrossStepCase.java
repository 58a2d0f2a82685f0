package org.attnbench.workloads.denoising;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.Variant;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.Guidance;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.diffusion.SchedulerConfig;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;

/**
 * One golden denoising run of {@code golden/cross-step/} (test resources, made by diffusers v0.40's
 * hooks and DeepCache's own code; the folder's README says how): the model, its weights, scheduler,
 * initial latents and prompt states, the latents after every step and the reference's per-step plan.
 */
record CrossStepCase(String name, Path dir, JsonObject info) {
    /** The goldens' bar: max |actual - expected| over max |expected|, every step. */
    static final double TOLERANCE = 1e-4;

    static Path root() {
        try {
            return Path.of(CrossStepCase.class.getResource("/golden/cross-step").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CrossStepCase load(String name) {
        Path dir = root().resolve(name);
        try {
            return new CrossStepCase(name, dir, JsonParser.parseString(Files.readString(dir.resolve("case.json"))).getAsJsonObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case's name. */
    static List<String> names() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(d -> Files.exists(d.resolve("case.json"))).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String spec() {
        return info.get("attnbench_spec").getAsString();
    }

    Variant variant() {
        return Variant.parse(spec());
    }

    int steps() {
        return info.get("steps").getAsInt();
    }

    Map<String, HostTensor> inputs() {
        return Safetensors.read(dir.resolve("inputs.safetensors"));
    }

    Map<String, HostTensor> expected() {
        return Safetensors.read(dir.resolve("expected.safetensors"));
    }

    /** The model at the case's prompt length. */
    Denoiser model() {
        return Denoiser.load(dir.resolve("config.json").toString()).withTextTokens(info.get("text_tokens").getAsInt());
    }

    ImageSize size() {
        var shape = info.getAsJsonArray("latent_shape");
        return new ImageSize(8 * shape.get(2).getAsInt(), 8 * shape.get(3).getAsInt());
    }

    int[] latent() {
        var shape = info.getAsJsonArray("latent_shape");
        return new int[] {shape.get(1).getAsInt(), shape.get(2).getAsInt(), shape.get(3).getAsInt()};
    }

    Scheduler scheduler(Denoiser model) {
        return model.scheduler(SchedulerConfig.read(dir.resolve("scheduler_config.json")), steps(), size());
    }

    Guidance guidance(Denoiser model) {
        return model.guidance(info.getAsJsonObject("guidance").get("scale").getAsDouble());
    }

    Conditioning conditioning(Denoiser model) {
        Map<String, HostTensor> prompt = new LinkedHashMap<>(inputs());
        prompt.remove("latents");
        return model.fit(Conditioning.encoded(prompt, 0, name), size(), 0);
    }

    /** The plan's kinds per step as the case writes them: "full", "partial". */
    List<String> kinds() {
        return info.getAsJsonArray("plan").asList().stream().map(e -> e.getAsJsonObject().get("kind").getAsString()).toList();
    }

    JsonObject planAt(int step) {
        return info.getAsJsonArray("plan").get(step).getAsJsonObject();
    }

    /** Runs the case's variant on a backend from its own noise and prompt. */
    DenoisingLoop.Result run(String backend) {
        return run(backend, variant());
    }

    /** Runs a variant on a backend from the case's noise and prompt. */
    DenoisingLoop.Result run(String backend, Variant variant) {
        Denoiser model = model();
        variant.check(model);
        Scheduler scheduler = scheduler(model);
        StepPlan plan = variant.plan(model, scheduler.timesteps());
        try (SafetensorsWeights weights = SafetensorsWeights.open(dir.resolve("weights.safetensors"));
                DenoisingLoop.Prepared loop = new DenoisingLoop(Backends.byName(backend), Device.CPU, CompileOptions.DEFAULT)
                        .prepare(DenoiserGraphs.of(model, size(), weights), plan, latent(), conditioning(model), scheduler,
                                guidance(model), 0)) {
            return loop.sample(inputs().get("latents"), 0, null);
        }
    }

    /** The diffusers modules a graph reads weights of: resnets, attentions, samplers, and the mid block whole. */
    static java.util.Set<String> modules(org.attnbench.graph.OnnxModel model) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String w : model.initializers().keySet()) {
            String[] p = w.split("\\.");
            if (p[0].equals("mid_block")) out.add("mid_block");
            else if (p[0].endsWith("_blocks") && p.length > 3) out.add(String.join(".", p[0], p[1], p[2], p[3]));
        }
        return out;
    }

    /** max |actual - expected| / max |expected|. */
    static double relativeError(HostTensor actual, HostTensor expected) {
        float[] got = actual.toFloats(), want = expected.toFloats();
        double scale = 0, err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(got[i] - want[i]));
        }
        return err / scale;
    }
}
