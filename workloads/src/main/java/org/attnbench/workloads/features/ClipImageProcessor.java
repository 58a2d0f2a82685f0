package org.attnbench.workloads.features;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.attnbench.core.UserError;

/**
 * CLIP's image preprocessing as transformers' PIL image processor computes it from a folder's
 * {@code preprocessor_config.json}: the image as 8-bit RGB ({@link PilRgb}), resized with PIL's
 * bicubic filter on 8-bit levels ({@link PilBicubic#resize8}) so its shorter side is
 * {@code shortest_edge} and the longer {@code int(shortest_edge * long / short)}, centre-cropped
 * ({@code top = (h - crop_h) // 2}, likewise left), each level times {@code rescale_factor} in double
 * stored as float32, then {@code (x - mean) / std} in float32.
 *
 * <p>transformers 5's default {@code CLIPImageProcessor} resizes with torchvision instead
 * ({@code CLIPImageProcessorPil} keeps PIL, which every 4.x release used); the two differ slightly.
 *
 * @param shortestEdge the shorter side after resizing
 * @param cropHeight the crop's height
 * @param cropWidth the crop's width
 * @param rescale what each 8-bit level is multiplied by
 * @param mean per channel, subtracted after rescaling
 * @param std per channel, divided by after subtracting the mean
 */
record ClipImageProcessor(int shortestEdge, int cropHeight, int cropWidth, double rescale, float[] mean, float[] std)
        implements ImagePreprocessing {
    static final String FILE = "preprocessor_config.json";
    /** PIL's BICUBIC. */
    private static final int BICUBIC = 3;
    private static final Set<String> KNOWN = Set.of("crop_size", "do_center_crop", "do_convert_rgb", "do_normalize",
            "do_rescale", "do_resize", "image_mean", "image_std", "resample", "rescale_factor", "size",
            "feature_extractor_type", "image_processor_type", "processor_class", "default_to_square");

    /** The folder's preprocessor_config.json, every step it switches off or changes beyond what is built refused by name. */
    static ClipImageProcessor read(Path folder) {
        Path file = folder.resolve(FILE);
        JsonObject json;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file));
            if (!root.isJsonObject()) throw new UserError(file + " is not a JSON object");
            json = root.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new UserError("CLIP folder " + folder + " has no " + FILE + " (the image processor's settings)");
        } catch (IOException | JsonParseException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        for (String key : json.keySet()) {
            if (!KNOWN.contains(key)) throw new UserError(file + ": unknown key '" + key + "'");
        }
        for (String step : new String[] {"do_resize", "do_center_crop", "do_rescale", "do_normalize", "do_convert_rgb"}) {
            if (json.has(step) && !json.get(step).getAsBoolean()) {
                throw new UserError(file + ": " + step + " false is not supported (CLIP score takes every step of CLIP's preprocessing)");
            }
        }
        if (json.has("default_to_square") && json.get("default_to_square").getAsBoolean()) {
            throw new UserError(file + ": default_to_square true is not supported (CLIP resizes the shorter side)");
        }
        if (json.has("resample") && json.get("resample").getAsInt() != BICUBIC) {
            throw new UserError(file + ": resample " + json.get("resample") + " is not supported; CLIP's is 3 (bicubic)");
        }
        int shortest = side(file, json.get("size"), "shortest_edge", 224);
        int cropH = side(file, json.get("crop_size"), "height", 224);
        int cropW = side(file, json.get("crop_size"), "width", 224);
        if (cropH > shortest || cropW > shortest) {
            throw new UserError(file + ": a crop of " + cropW + "x" + cropH + " is larger than the resized shorter side " + shortest);
        }
        double rescale = json.has("rescale_factor") ? json.get("rescale_factor").getAsDouble() : 1 / 255.0;
        return new ClipImageProcessor(shortest, cropH, cropW, rescale, triple(file, json, "image_mean"), triple(file, json, "image_std"));
    }

    /** {@code size: 224} (older configs) or {@code size: {shortest_edge: 224}}; crop_size likewise with height and width. */
    private static int side(Path file, JsonElement e, String key, int fallback) {
        if (e == null) return fallback;
        if (e.isJsonPrimitive()) return e.getAsInt();
        JsonObject o = e.getAsJsonObject();
        if (!o.has(key)) throw new UserError(file + ": " + o + " has no '" + key + "'");
        return o.get(key).getAsInt();
    }

    private static float[] triple(Path file, JsonObject json, String key) {
        if (!json.has(key)) throw new UserError(file + " has no " + key);
        JsonArray a = json.getAsJsonArray(key);
        if (a.size() != 3) throw new UserError(file + ": " + key + " must have 3 values, got " + a);
        return new float[] {a.get(0).getAsFloat(), a.get(1).getAsFloat(), a.get(2).getAsFloat()};
    }

    @Override
    public int size() {
        if (cropHeight != cropWidth) throw new IllegalStateException("a non-square crop has no single size");
        return cropHeight;
    }

    @Override
    public void fill(BufferedImage image, float[] dest, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] size = resizedSize(h, w);
        int rh = size[0];
        int rw = size[1];
        int top = (rh - cropHeight) / 2;
        int left = (rw - cropWidth) / 2;
        float[][] rgb = PilRgb.planes(image);
        int plane = cropHeight * cropWidth;
        for (int c = 0; c < 3; c++) {
            int[] levels = new int[w * h];
            for (int i = 0; i < levels.length; i++) levels[i] = (int) rgb[c][i];
            int[] resized = PilBicubic.resize8(levels, w, h, rw, rh);
            for (int y = 0; y < cropHeight; y++) {
                for (int x = 0; x < cropWidth; x++) {
                    float v = (float) (resized[(top + y) * rw + left + x] * rescale);
                    dest[offset + c * plane + y * cropWidth + x] = (v - mean[c]) / std[c];
                }
            }
        }
    }

    /** (height, width) after resizing: the shorter side to {@code shortestEdge}, the longer int(shortestEdge * long / short). */
    int[] resizedSize(int h, int w) {
        int shortSide = Math.min(h, w);
        int longSide = Math.max(h, w);
        int newLong = (int) ((double) shortestEdge * longSide / shortSide);
        return w <= h ? new int[] {newLong, shortestEdge} : new int[] {shortestEdge, newLong};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "shorter side to %d (PIL bicubic), centre crop %dx%d", shortestEdge, cropWidth, cropHeight);
    }
}
