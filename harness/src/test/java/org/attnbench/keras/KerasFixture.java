package org.attnbench.keras;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Writes small Keras functional models as TF.js layers files (model.json + one float32 shard). */
final class KerasFixture {
    private final JsonArray layers = new JsonArray();
    private final Map<String, float[]> weights = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Random random;
    private String input;

    KerasFixture(long seed) {
        random = new Random(seed);
    }

    KerasFixture input(String name, int h, int w, int c) {
        input = name;
        JsonObject config = new JsonObject();
        config.add("batch_input_shape", new Gson().toJsonTree(new Object[] {null, h, w, c}));
        return layer(name, "InputLayer", config);
    }

    KerasFixture layer(String name, String className, JsonObject config, String... inbound) {
        JsonObject l = new JsonObject();
        l.addProperty("name", name);
        l.addProperty("class_name", className);
        config.addProperty("name", name);
        l.add("config", config);
        JsonArray node = new JsonArray();
        for (String in : inbound) {
            JsonArray ref = new JsonArray();
            ref.add(in);
            ref.add(0);
            ref.add(0);
            ref.add(new JsonObject());
            node.add(ref);
        }
        JsonArray nodes = new JsonArray();
        if (inbound.length > 0) nodes.add(node);
        l.add("inbound_nodes", nodes);
        layers.add(l);
        return this;
    }

    /** A weight of the given shape: N(0, std^2) + mean, or uniform in [lo, hi) when {@code positive}. */
    float[] weight(String name, double mean, double std, long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + std * random.nextGaussian());
        weights.put(name, v);
        shapes.put(name, shape);
        return v;
    }

    float[] positive(String name, long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (0.5 + random.nextDouble());
        weights.put(name, v);
        shapes.put(name, shape);
        return v;
    }

    static JsonObject config(Object... kv) {
        JsonObject c = new JsonObject();
        Gson gson = new Gson();
        for (int i = 0; i < kv.length; i += 2) c.add((String) kv[i], gson.toJsonTree(kv[i + 1]));
        return c;
    }

    Path write(Path dir, String output) throws IOException {
        List<Object> specs = new ArrayList<>();
        int bytes = 0;
        for (float[] v : weights.values()) bytes += 4 * v.length;
        ByteBuffer data = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            for (float f : e.getValue()) data.putFloat(f);
            specs.add(Map.of("name", e.getKey(), "shape", shapes.get(e.getKey()), "dtype", "float32"));
        }
        Files.write(dir.resolve("weights.bin"), data.array());
        Gson gson = new Gson();
        JsonObject config = new JsonObject();
        config.addProperty("name", "fixture");
        config.add("layers", layers);
        config.add("input_layers", gson.toJsonTree(List.of(List.of(input, 0, 0))));
        config.add("output_layers", gson.toJsonTree(List.of(List.of(output, 0, 0))));
        JsonObject modelConfig = new JsonObject();
        modelConfig.addProperty("class_name", "Model");
        modelConfig.add("config", config);
        JsonObject topology = new JsonObject();
        topology.add("model_config", modelConfig);
        JsonObject root = new JsonObject();
        root.addProperty("format", "layers-model");
        root.add("modelTopology", topology);
        root.add("weightsManifest", gson.toJsonTree(List.of(Map.of("paths", List.of("weights.bin"), "weights", specs))));
        Path file = dir.resolve("model.json");
        Files.writeString(file, gson.toJson(root));
        return file;
    }
}
