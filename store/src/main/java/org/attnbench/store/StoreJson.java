package org.attnbench.store;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.Locale;

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
