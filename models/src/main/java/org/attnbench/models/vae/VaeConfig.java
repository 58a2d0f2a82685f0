package org.attnbench.models.vae;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import org.attnbench.core.Reasons;
import org.attnbench.core.UserError;
import org.attnbench.models.SizeLimits;

/**
 * A diffusers AutoencoderKL config.json as diffusers saves it, read strictly for the decoder: every
 * key is implemented, belongs to the encoder (which the bench never runs), is bookkeeping, or is
 * unknown and refused by name. Absent keys take diffusers' defaults.
 *
 * <p>Decoding follows diffusers' pipelines: {@code z = latents / scaling_factor + shift_factor}
 * (SD3 and Flux set a shift), or, when the config has {@code latents_mean} and {@code latents_std}
 * (as SDXL-type pipelines read them), {@code z = latents * std / scaling_factor + mean} per channel.
 */
public final class VaeConfig {
    public static final String FILE = "config.json";
    private static final String UP_BLOCK = "UpDecoderBlock2D";

    /** Keys that change nothing in a float32 decoder: bookkeeping, and force_upcast (an fp16 VAE's pipeline switch). */
    private static final Set<String> BOOKKEEPING = Set.of("_class_name", "_diffusers_version", "_name_or_path",
            "_use_default_values", "force_upcast");
    /** The encoder's keys, read by no decoder. */
    private static final Set<String> ENCODER = Set.of("in_channels", "down_block_types", "use_quant_conv", "sample_size");
    private static final Set<String> IMPLEMENTED = Set.of("out_channels", "up_block_types", "block_out_channels",
            "layers_per_block", "act_fn", "latent_channels", "norm_num_groups", "scaling_factor", "shift_factor",
            "latents_mean", "latents_std", "use_post_quant_conv", "mid_block_add_attention");

    private final String name;
    private final JsonObject json;
    private final int[] blockOutChannels;

    private VaeConfig(String name, JsonObject json) {
        this.name = name;
        this.json = json;
        for (String key : new TreeMap<>(json.asMap()).keySet()) {
            if (!BOOKKEEPING.contains(key) && !ENCODER.contains(key) && !IMPLEMENTED.contains(key)) {
                throw bad("unknown key '" + key + "' (not an AutoencoderKL key this decoder implements)");
            }
        }
        this.blockOutChannels = ints("block_out_channels", new int[] {64});
        checkSizes();
        String act = present("act_fn") ? json.get("act_fn").getAsString() : "silu";
        if (!act.equals("silu")) throw bad("act_fn \"" + act + "\" is not implemented (only silu)");
        if (present("up_block_types")) {
            JsonArray types = json.getAsJsonArray("up_block_types");
            if (types.size() != blockOutChannels.length) throw bad("up_block_types and block_out_channels differ in length");
            for (JsonElement t : types) {
                if (!t.getAsString().equals(UP_BLOCK)) throw bad("up block " + t + " is not implemented (only " + UP_BLOCK + ")");
            }
        }
        for (int c : blockOutChannels) {
            if (c % normNumGroups() != 0) throw bad("block_out_channels " + c + " is not a multiple of norm_num_groups");
        }
        if (present("latents_mean") != present("latents_std")) {
            throw bad("latents_mean and latents_std come together (diffusers' pipelines use them only as a pair)");
        }
        if (present("latents_mean") && (latentsMean().length != latentChannels() || latentsStd().length != latentChannels())) {
            throw bad("latents_mean and latents_std need one value per latent channel (" + latentChannels() + ")");
        }
    }

    /** The config.json in a VAE folder (diffusers layout: config.json beside the weights), or the file itself. */
    public static VaeConfig read(Path dir) {
        Path file = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file));
            if (!root.isJsonObject()) throw new UserError("VAE config " + file + " is not a JSON object");
            return new VaeConfig(file.toString(), root.getAsJsonObject());
        } catch (NoSuchFileException e) {
            throw new UserError("VAE folder " + dir + " has no " + FILE);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Reasons.of(e));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException
                 | ClassCastException e) {
            throw new UserError("VAE config " + file + " is not a valid config.json: " + Reasons.of(e));
        }
    }

    public String name() { return name; }

    public int latentChannels() { return integer("latent_channels", 4); }

    public int outChannels() { return integer("out_channels", 3); }

    public int[] blockOutChannels() { return blockOutChannels.clone(); }

    public int layersPerBlock() { return integer("layers_per_block", 1); }

    public int normNumGroups() { return integer("norm_num_groups", 32); }

    /** The factor latents were multiplied by after encoding (SD: 0.18215). */
    public double scalingFactor() { return number("scaling_factor", 0.18215); }

    /** Added after unscaling (null in SD's VAEs: 0). */
    public double shiftFactor() { return number("shift_factor", 0); }

    /** Per-channel mean of the latents, or null (then {@link #shiftFactor} applies). */
    public double[] latentsMean() { return present("latents_mean") ? doubles("latents_mean") : null; }

    /** Per-channel standard deviation of the latents, or null. */
    public double[] latentsStd() { return present("latents_std") ? doubles("latents_std") : null; }

    public boolean usePostQuantConv() { return bool("use_post_quant_conv", true); }

    public boolean midBlockAttention() { return bool("mid_block_add_attention", true); }

    /** Pixels per latent cell: 2 per up block that upsamples (all but the last). */
    public int upsampling() { return 1 << (blockOutChannels.length - 1); }

    /** Every size within {@link SizeLimits}, before anything is built from them. */
    private void checkSizes() {
        if (blockOutChannels.length < 1 || blockOutChannels.length > SizeLimits.LEVELS) {
            throw bad("block_out_channels needs 1 to " + SizeLimits.LEVELS + " levels, got " + blockOutChannels.length);
        }
        for (int c : blockOutChannels) within("block_out_channels", c);
        for (String key : new String[] {"latent_channels", "out_channels", "layers_per_block", "norm_num_groups"}) {
            if (present(key)) within(key, json.get(key).getAsDouble());
        }
    }

    private void within(String key, double v) {
        int max = SizeLimits.forConfigKey(key);
        if (!(v >= 1 && v <= max) || v != Math.rint(v)) {
            throw bad(key + " " + (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v))
                    + " must be an integer from 1 to " + max);
        }
    }

    private UserError bad(String what) {
        return new UserError("VAE config " + name + ": " + what);
    }

    private boolean present(String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    private int integer(String key, int fallback) {
        return present(key) ? json.get(key).getAsInt() : fallback;
    }

    private double number(String key, double fallback) {
        return present(key) ? json.get(key).getAsDouble() : fallback;
    }

    private boolean bool(String key, boolean fallback) {
        return present(key) ? json.get(key).getAsBoolean() : fallback;
    }

    private int[] ints(String key, int[] fallback) {
        if (!present(key)) return fallback;
        JsonArray a = json.getAsJsonArray(key);
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
        return v;
    }

    private double[] doubles(String key) {
        JsonArray a = json.getAsJsonArray(key);
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsDouble();
        return v;
    }
}
