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
import org.attnbench.core.UserError;

/**
 * The decoder's part of a diffusers AutoencoderKL config.json, with diffusers' defaults for keys
 * that are absent. Only what the decoder implements is accepted: SiLU, UpDecoderBlock2D up blocks.
 */
public final class VaeConfig {
    public static final String FILE = "config.json";
    private static final String UP_BLOCK = "UpDecoderBlock2D";

    private final String name;
    private final JsonObject json;
    private final int[] blockOutChannels;

    private VaeConfig(String name, JsonObject json) {
        this.name = name;
        this.json = json;
        this.blockOutChannels = ints("block_out_channels", new int[] {64});
        String act = json.has("act_fn") ? json.get("act_fn").getAsString() : "silu";
        if (!act.equals("silu")) throw bad("act_fn \"" + act + "\" is not implemented (only silu)");
        if (json.has("up_block_types")) {
            JsonArray types = json.getAsJsonArray("up_block_types");
            if (types.size() != blockOutChannels.length) throw bad("up_block_types and block_out_channels differ in length");
            for (JsonElement t : types) {
                if (!t.getAsString().equals(UP_BLOCK)) throw bad("up block " + t + " is not implemented (only " + UP_BLOCK + ")");
            }
        }
        for (int c : blockOutChannels) {
            if (c % normNumGroups() != 0) throw bad("block_out_channels " + c + " is not a multiple of norm_num_groups");
        }
    }

    /** The config.json in a VAE folder (diffusers layout: config.json beside the weights). */
    public static VaeConfig read(Path dir) {
        Path file = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file));
            if (!root.isJsonObject()) throw new UserError("VAE config " + file + " is not a JSON object");
            return new VaeConfig(file.toString(), root.getAsJsonObject());
        } catch (NoSuchFileException e) {
            throw new UserError("VAE folder " + dir + " has no " + FILE);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new UserError("VAE config " + file + " is not a valid config.json: " + e.getMessage());
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

    public boolean usePostQuantConv() { return bool("use_post_quant_conv", true); }

    public boolean midBlockAttention() { return bool("mid_block_add_attention", true); }

    /** Pixels per latent cell: 2 per up block that upsamples (all but the last). */
    public int upsampling() { return 1 << (blockOutChannels.length - 1); }

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
}
