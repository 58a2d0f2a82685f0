package org.attnbench.text.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attnbench.text.encoder.T5Buckets;
import org.attnbench.text.encoder.T5EncoderConfig;
import org.attnbench.text.encoder.TextEncoderConfig;
import org.junit.jupiter.api.Test;

/**
 * T5's relative position buckets, the graph's float32 rule and the reference's exact one, against
 * torch's own table (t5-buckets/torch-buckets.txt, written by make_buckets.py beside it) for eight
 * bucket settings and relative positions up to 1023 either way.
 */
class T5BucketsTest {
    private record Table(int buckets, int maxDistance, long[] after, long[] before) {}

    @Test
    void bothRulesGiveTorchsBuckets() throws IOException {
        List<Table> tables = tables();
        assertEquals(8, tables.size());
        for (Table t : tables) {
            ReferenceT5Encoder reference = new ReferenceT5Encoder(config(t.buckets(), t.maxDistance()), null);
            for (int r = 0; r < t.after().length; r++) {
                String at = t.buckets() + " buckets, max distance " + t.maxDistance() + ", relative ";
                assertEquals(t.after()[r], T5Buckets.bucket(r, t.buckets(), t.maxDistance()), at + r);
                assertEquals(t.before()[r], T5Buckets.bucket(-r, t.buckets(), t.maxDistance()), at + -r);
                assertEquals(t.after()[r], reference.bucket(r), at + r + " (reference)");
                assertEquals(t.before()[r], reference.bucket(-r), at + -r + " (reference)");
            }
            assertTrue(t.after()[t.after().length - 1] == t.buckets() - 1, "the last bucket holds the far keys after");
        }
    }

    @Test
    void theTableIsKeyMinusQuery() {
        long[] table = T5Buckets.table(3, 32, 128);
        assertEquals(List.of(0L, 17L, 18L, 1L, 0L, 17L, 2L, 1L, 0L), java.util.Arrays.stream(table).boxed().toList());
    }

    private static T5EncoderConfig config(int buckets, int maxDistance) {
        String json = new com.google.gson.Gson().toJson(Map.of("architectures", List.of("T5EncoderModel"),
                "feed_forward_proj", "gated-gelu", "relative_attention_num_buckets", buckets,
                "relative_attention_max_distance", maxDistance));
        return (T5EncoderConfig) TextEncoderConfig.parse("buckets", json);
    }

    private static List<Table> tables() throws IOException {
        List<Table> out = new ArrayList<>();
        try (InputStream in = T5BucketsTest.class.getResourceAsStream("/t5-buckets/torch-buckets.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split(" ");
                out.add(new Table(Integer.parseInt(f[0]), Integer.parseInt(f[1]), longs(f[2]), longs(f[3])));
            }
        }
        return out;
    }

    private static long[] longs(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
    }
}
