package org.attnbench.methods;

/**
 * A speedup that a method's paper claims, as published, so reports can set measured values beside it.
 *
 * @param claim what is claimed, in a few words
 * @param source who claims it
 * @param paper the claimed value, as worded
 * @param times the claimed speedup as a number (the bound where the wording gives one)
 * @param conditions how it was measured
 * @param minPx smallest image side it covers
 * @param maxPx largest image side it covers
 * @param key the spec key that must match ({@code ratio}), or null
 * @param value that key's value
 */
public record PaperClaim(String claim, String source, String paper, double times, String conditions, int minPx, int maxPx,
        String key, double value) {}
