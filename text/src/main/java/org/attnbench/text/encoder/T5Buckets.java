package org.attnbench.text.encoder;

/**
 * T5's relative position buckets ({@code T5Attention._relative_position_bucket}, bidirectional),
 * in the float32 arithmetic transformers computes them in: half the buckets for keys after the
 * query, half for keys at or before it; within each half, exact distances below a quarter of the
 * buckets, logarithmic ones up to {@code max_distance}, the last bucket beyond.
 */
public final class T5Buckets {
    private T5Buckets() {}

    /** The bucket of a key {@code relative} = key position - query position away. */
    public static int bucket(int relative, int numBuckets, int maxDistance) {
        int half = numBuckets / 2;
        int offset = relative > 0 ? half : 0;
        int distance = Math.abs(relative);
        int maxExact = half / 2;
        if (distance < maxExact) return offset + distance;
        // torch: log(float(distance) / max_exact) / log(max_distance / max_exact) * (half - max_exact), truncated.
        float ratio = (float) distance / maxExact;
        float scaled = (float) Math.log(ratio) / (float) Math.log((double) maxDistance / maxExact) * (half - maxExact);
        return offset + Math.min(maxExact + (int) scaled, half - 1);
    }

    /** [L, L] row-major: the bucket of key j for query i. */
    public static long[] table(int length, int numBuckets, int maxDistance) {
        long[] out = new long[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) out[i * length + j] = bucket(j - i, numBuckets, maxDistance);
        }
        return out;
    }
}
