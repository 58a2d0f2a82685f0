package org.attnbench.models.diffusion;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.attnbench.core.Suggest;
import org.attnbench.core.UserError;

/**
 * A diffusers scheduler_config.json, read strictly. Its {@code _class_name} picks the scheduler;
 * each scheduler reads the keys it implements through the typed getters here, which refuse a value
 * of the wrong type or a setting that is not implemented in one line naming the key and the file.
 * A key that no supported scheduler knows is refused by name; a key of another scheduler (a
 * config saved after swapping schedulers keeps them, as SD 2.1's DDIM config keeps PNDM's
 * skip_prk_steps) is ignored, as diffusers' from_config ignores it.
 *
 * @param file where it came from, for messages
 */
public record SchedulerConfig(String file, String className, JsonObject json) {
    /** The classes {@link Scheduler#fromConfig} builds. */
    public static final List<String> CLASSES = List.of(PndmScheduler.CLASS, DdimScheduler.CLASS, EulerScheduler.CLASS,
            EulerAncestralScheduler.CLASS, DpmSolverScheduler.CLASS, FlowMatchEulerScheduler.CLASS);

    /** Bookkeeping that diffusers writes into every config. */
    private static final Set<String> BOOKKEEPING = Set.of("_class_name", "_diffusers_version", "_use_default_values");

    /** Every key of the supported schedulers' configs (their __init__ parameters in diffusers v0.40). */
    private static final Set<String> KNOWN = new TreeSet<>(List.of(
            "num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "skip_prk_steps",
            "set_alpha_to_one", "prediction_type", "timestep_spacing", "steps_offset", "clip_sample", "thresholding",
            "dynamic_thresholding_ratio", "clip_sample_range", "sample_max_value", "rescale_betas_zero_snr",
            "interpolation_type", "use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas", "sigma_min",
            "sigma_max", "timestep_type", "final_sigmas_type", "solver_order", "algorithm_type", "solver_type",
            "lower_order_final", "euler_at_final", "use_lu_lambdas", "use_flow_sigmas", "flow_shift",
            "lambda_min_clipped", "variance_type", "use_dynamic_shifting", "time_shift_type", "shift", "base_shift",
            "max_shift", "base_image_seq_len", "max_image_seq_len", "invert_sigmas", "shift_terminal",
            "stochastic_sampling"));

    /** A scheduler_config.json on disk. */
    public static SchedulerConfig read(Path path) {
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new UserError("no such scheduler config: " + path);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Whether {@code nameOrPath} names a scheduler config file rather than a scheduler ({@code *.json}). */
    public static boolean isFile(String nameOrPath) {
        return nameOrPath.toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /** A config's text; JSON's -Infinity (diffusers writes lambda_min_clipped so) is accepted. */
    public static SchedulerConfig parse(String file, String text) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new UserError("scheduler config " + file + " is not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) throw new UserError("scheduler config " + file + " is not a JSON object");
        return of(file, root.getAsJsonObject());
    }

    /** A parsed config: its class must be supported and every key known. */
    public static SchedulerConfig of(String file, JsonObject json) {
        JsonElement cls = json.get("_class_name");
        if (cls == null || !cls.isJsonPrimitive() || !cls.getAsJsonPrimitive().isString()) {
            throw new UserError("scheduler config " + file + " has no _class_name: one of " + String.join(", ", CLASSES));
        }
        String className = cls.getAsString();
        if (!CLASSES.contains(className)) {
            throw new UserError("scheduler config " + file + ": " + className + " is not supported" + Suggest.hint(className, CLASSES)
                    + "; use one of " + String.join(", ", CLASSES) + " (or name a scheduler to override it)");
        }
        for (String key : new TreeSet<>(json.keySet())) {
            if (!BOOKKEEPING.contains(key) && !KNOWN.contains(key)) {
                throw new UserError("scheduler config " + file + ": unknown key '" + key + "'" + Suggest.hint(key, KNOWN));
            }
        }
        return new SchedulerConfig(file, className, json);
    }

    /**
     * The same keys read by another scheduler class, as diffusers' {@code Other.from_config(config)}
     * swaps a pipeline's scheduler: the training schedule and prediction type carry over.
     */
    public SchedulerConfig as(String otherClass) {
        JsonObject copy = json.deepCopy();
        copy.addProperty("_class_name", otherClass);
        return of(file + " as " + otherClass, copy);
    }

    private JsonElement value(String key) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    public boolean has(String key) {
        return value(key) != null;
    }

    public boolean bool(String key, boolean fallback) {
        JsonElement e = value(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) throw wrongType(key, "true or false", e);
        return e.getAsBoolean();
    }

    /** A number; Python's json writes infinities bare (-Infinity), which a lenient parse reads as a string. */
    public double number(String key, double fallback) {
        JsonElement e = value(key);
        if (e == null) return fallback;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            if (e.getAsString().equals("Infinity")) return Double.POSITIVE_INFINITY;
            if (e.getAsString().equals("-Infinity")) return Double.NEGATIVE_INFINITY;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw wrongType(key, "a number", e);
        return e.getAsDouble();
    }

    /** A finite number greater than zero. */
    public double positive(String key, double fallback) {
        double v = number(key, fallback);
        if (!(v > 0) || Double.isInfinite(v)) throw wrongType(key, "a number above 0", value(key));
        return v;
    }

    /** An integer of at least {@code min}. */
    public int integer(String key, int fallback, int min) {
        JsonElement e = value(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
                || e.getAsDouble() < min || e.getAsDouble() > Integer.MAX_VALUE) {
            throw wrongType(key, "an integer of at least " + min, e);
        }
        return e.getAsInt();
    }

    /** A string among {@code allowed}; one that diffusers knows but that is not implemented is refused as unsupported. */
    public String choice(String key, String fallback, List<String> allowed, List<String> unsupported) {
        JsonElement e = value(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw wrongType(key, "a string", e);
        String v = e.getAsString();
        if (allowed.contains(v)) return v;
        if (unsupported.contains(v)) throw unsupported(key, e, String.join(", ", allowed));
        throw new UserError("scheduler config " + file + ": " + key + " must be one of " + String.join(", ", allowed)
                + ", got '" + v + "'" + Suggest.hint(v, allowed));
    }

    /** A key that is implemented only at one value (null or absent also accepted when it is diffusers' default). */
    public void only(String key, JsonPrimitive implemented) {
        JsonElement e = value(key);
        if (e != null && !e.equals(implemented)) throw unsupported(key, e, implemented.toString());
    }

    /** A key implemented only when absent or null (trained_betas, shift_terminal, ...). */
    public void onlyNull(String key) {
        JsonElement e = value(key);
        if (e != null) throw unsupported(key, e, "null");
    }

    /** A UserError for a value that diffusers accepts but this scheduler does not implement. */
    public UserError unsupported(String key, JsonElement value, String implemented) {
        return new UserError("scheduler config " + file + ": " + key + "=" + value + " is not supported by " + className
                + " here; implemented: " + implemented);
    }

    private UserError wrongType(String key, String want, JsonElement got) {
        return new UserError("scheduler config " + file + ": " + key + " must be " + want + ", got " + got);
    }

    /**
     * The training schedule of beta_schedule, beta_start, beta_end and num_train_timesteps
     * (diffusers' defaults: linear, 0.0001, 0.02, 1000); {@code rescalable} for a class that has
     * rescale_betas_zero_snr (not implemented: refused when true).
     */
    NoiseSchedule noiseSchedule(boolean rescalable) {
        onlyNull("trained_betas");
        if (rescalable) only("rescale_betas_zero_snr", new JsonPrimitive(false));
        String kind = choice("beta_schedule", "linear", List.of("linear", "scaled_linear", "squaredcos_cap_v2"), List.of());
        NoiseSchedule.Betas betas = switch (kind) {
            case "scaled_linear" -> NoiseSchedule.Betas.SCALED_LINEAR;
            case "squaredcos_cap_v2" -> NoiseSchedule.Betas.SQUAREDCOS_CAP_V2;
            default -> NoiseSchedule.Betas.LINEAR;
        };
        return new NoiseSchedule(betas, positive("beta_start", 0.0001), positive("beta_end", 0.02), trainSteps());
    }

    int trainSteps() {
        return integer("num_train_timesteps", NoiseSchedule.TRAIN_STEPS, 2);
    }

    /** timestep_spacing (each class has its own default) and steps_offset. */
    Spacing spacing(String fallback) {
        return Spacing.of(choice("timestep_spacing", fallback, List.of("leading", "trailing", "linspace"), List.of()));
    }

    int stepsOffset() {
        return integer("steps_offset", 0, 0);
    }

    /** prediction_type among those a class implements; diffusers' others refused as unsupported. */
    Prediction prediction(Prediction... implemented) {
        List<String> names = Arrays.stream(implemented).map(p -> p.configName).toList();
        List<String> others = Arrays.stream(Prediction.values()).map(p -> p.configName)
                .filter(n -> !names.contains(n)).collect(Collectors.toList());
        others.add("flow_prediction");
        return Prediction.of(choice("prediction_type", "epsilon", names, others));
    }

    /** Sigma spacings other than the schedule's own (Karras, exponential, beta, Lu's lambdas): not implemented. */
    void noSigmaConversions(String... keys) {
        for (String key : keys) only(key, new JsonPrimitive(false));
    }
}
