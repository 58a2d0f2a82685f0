package org.attnbench.store;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.Locale;
import org.attnbench.core.Reasons;

/**
 * The JSON spelling of stored records: snake_case keys, a number that was not measured (NaN) as
 * {@code null} and read back as NaN, an infinite one (the PSNR of identical outputs) as the
 * string {@code "Infinity"} or {@code "-Infinity"} (JSON has neither), statuses in lower case, a
 * kernel as its one word.
 */
public final class StoreJson {
    private StoreJson() {}

    /** Compact, for JSON lines. */
    public static final Gson COMPACT = builder().create();
    /** Indented, for files people open. */
    public static final Gson PRETTY = builder().setPrettyPrinting().create();

    /**
     * The version of the run folder's format, written first in the manifest and in every row as
     * {@value #VERSION_KEY}; records without it are version 1 (written before it was kept) and
     * still read. Raise it when a field changes meaning or goes; a field added keeps it.
     * Schemas: {@code schemas/row.schema.json} and {@code schemas/manifest.schema.json}.
     */
    public static final int SCHEMA_VERSION = 2;
    public static final String VERSION_KEY = "schema_version";

    /** A stored record (a manifest, a row) as JSON, its schema version first. */
    public static String write(Gson gson, Object record) {
        JsonObject out = new JsonObject();
        out.addProperty(VERSION_KEY, SCHEMA_VERSION);
        gson.toJsonTree(record).getAsJsonObject().asMap().forEach(out::add);
        return gson.toJson(out);
    }

    /**
     * A stored record read back: a JSON object of a schema version this code reads (none, or up to
     * {@link #SCHEMA_VERSION}), else a JsonParseException saying why, in words.
     */
    public static <T> T read(String text, Class<T> type) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new JsonParseException(Reasons.of(e));
        }
        if (!root.isJsonObject()) throw new JsonParseException("not a JSON object");
        JsonElement v = root.getAsJsonObject().get(VERSION_KEY);
        if (v != null && !(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber())) {
            throw new JsonParseException(VERSION_KEY + " " + v + " is not a number");
        }
        if (v != null && v.getAsDouble() > SCHEMA_VERSION) {
            throw new JsonParseException("written by a newer attnbench (" + VERSION_KEY + " " + v
                    + "; this one reads up to " + SCHEMA_VERSION + "): update attnbench to read it");
        }
        try {
            return COMPACT.fromJson(root, type);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new JsonParseException(Reasons.of(e));
        }
    }

    private static GsonBuilder builder() {
        TypeAdapter<Double> nanAsNull = new NanAsNull();
        return new GsonBuilder()
                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .serializeNulls()
                .disableHtmlEscaping()
                .registerTypeAdapter(double.class, nanAsNull)
                .registerTypeAdapter(Double.class, nanAsNull)
                .registerTypeAdapter(CellStatus.class, new StatusAdapter())
                .registerTypeAdapter(Kernel.class, new KernelAdapter());
    }

    private static final class NanAsNull extends TypeAdapter<Double> {
        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null || value.isNaN()) out.nullValue();
            else if (value.isInfinite()) out.value(value > 0 ? "Infinity" : "-Infinity");
            else out.value(value);
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return Double.NaN;
            }
            if (in.peek() == JsonToken.STRING) {
                String s = in.nextString();
                if (s.equals("Infinity")) return Double.POSITIVE_INFINITY;
                if (s.equals("-Infinity")) return Double.NEGATIVE_INFINITY;
                throw new JsonParseException("'" + s + "' is not a number");
            }
            return in.nextDouble();
        }
    }

    private static final class KernelAdapter extends TypeAdapter<Kernel> {
        @Override
        public void write(JsonWriter out, Kernel value) throws IOException {
            out.value(value == null ? null : value.toString());
        }

        @Override
        public Kernel read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return Kernel.NONE;
            }
            try {
                return Kernel.of(in.nextString());
            } catch (IllegalArgumentException e) {
                throw new JsonParseException(e.getMessage());
            }
        }
    }

    private static final class StatusAdapter extends TypeAdapter<CellStatus> {
        @Override
        public void write(JsonWriter out, CellStatus value) throws IOException {
            out.value(value.label());
        }

        @Override
        public CellStatus read(JsonReader in) throws IOException {
            String s = in.nextString();
            try {
                return CellStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new JsonParseException("unknown cell status '" + s + "'");
            }
        }
    }
}
