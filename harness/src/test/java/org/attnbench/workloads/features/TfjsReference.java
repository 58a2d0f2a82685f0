package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs tools/nsfwjs/tfjs-reference.js: the unpacked InceptionV3 in TF.js, for tests to compare with. */
final class TfjsReference {
    private TfjsReference() {}

    /** flatten_1 [N * 2048] and probabilities [N * 5] of N images stored as float32 [N, 3, 299, 299]. */
    static Map<String, float[]> run(Path input, int n) throws IOException {
        Path tools = NsfwjsFiles.toolsFolder();
        Path modelDir = NsfwjsFiles.modelJson().getParent();
        Process p;
        try {
            p = new ProcessBuilder("node", tools.resolve("tfjs-reference.js").toString(), modelDir.toString(),
                    input.toString(), Integer.toString(n)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "node cannot be started: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IllegalStateException("tfjs-reference.js failed; output: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        JsonObject json = JsonParser.parseString(out).getAsJsonObject();
        Map<String, float[]> result = new LinkedHashMap<>();
        for (String key : json.keySet()) result.put(key, floats(json.getAsJsonArray(key)));
        return result;
    }

    private static float[] floats(JsonArray a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = a.get(i).getAsFloat();
        return f;
    }
}
