package org.attnbench.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?": the closest known word by edit distance, if it is close enough to be a typo. */
public final class Suggest {
    private Suggest() {}

    public static Optional<String> closest(String word, Collection<String> known) {
        String w = word.toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(k -> distance(w, k.toLowerCase(Locale.ROOT)) <= Math.max(1, Math.min(3, k.length() / 3)))
                .min(Comparator.comparingInt(k -> distance(w, k.toLowerCase(Locale.ROOT))));
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** " (did you mean 'x'?)" or "". */
    public static String hint(String word, Collection<String> known) {
        return closest(word, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }
}
