package org.attnbench.cli;

import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.SizeLimits;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Checks the numbers given on the command line before a command starts, for every command alike:
 * a floating-point option must be finite, and an option named in {@link #RANGES} must lie in its
 * range, so no size reaches a builder that would overflow or run for hours. A command that names
 * its flags like these inherits their ranges; its own checks (e.g. what divides what) come after.
 */
final class NumericOptions {
    record Range(long min, long max, String why) {}

    /** By option name: the sizes and counts commands share. */
    static final Map<String, Range> RANGES = Map.ofEntries(
            Map.entry("--resolution", new Range(1, SizeLimits.IMAGE_SIDE_PX, "px a side")),
            Map.entry("--height", new Range(1, SizeLimits.IMAGE_SIDE_PX, "px")),
            Map.entry("--width", new Range(1, SizeLimits.IMAGE_SIDE_PX, "px")),
            Map.entry("--channels", new Range(1, SizeLimits.ATTENTION_CHANNELS, "channels")),
            Map.entry("--heads", new Range(1, SizeLimits.HEADS, "heads")),
            Map.entry("--batch", new Range(1, SizeLimits.BATCH, "images a batch")),
            Map.entry("--steps", new Range(1, SizeLimits.STEPS, "steps")),
            Map.entry("--timestep", new Range(0, 999, "on the 0..999 training scale")),
            Map.entry("--guidance", new Range(0, 100, "the guidance scale")),
            Map.entry("--repeat", new Range(1, 100_000, "timed runs")),
            Map.entry("--input-size", new Range(1, SizeLimits.IMAGE_SIDE_PX, "px a side")),
            Map.entry("--kid-subsets", new Range(1, 100_000, "subsets")),
            Map.entry("--kid-subset-size", new Range(2, 1_000_000, "rows a subset")));

    private NumericOptions() {}

    static void check(ParseResult parsed) {
        ParseResult last = parsed;
        while (last.hasSubcommand()) last = last.subcommand();
        for (OptionSpec o : last.matchedOptions()) {
            Object v = o.getValue();
            if (!(v instanceof Number n)) continue;
            String name = o.longestName();
            String given = o.originalStringValues().isEmpty() ? String.valueOf(v)
                    : o.originalStringValues().get(o.originalStringValues().size() - 1);
            if ((v instanceof Double || v instanceof Float) && !Double.isFinite(n.doubleValue())) {
                throw new UserError(name + " " + given + " is not a finite number");
            }
            Range r = RANGES.get(name);
            if (r == null) continue;
            double x = n.doubleValue();
            if (!(x >= r.min() && x <= r.max())) {
                throw new UserError(name + " " + given + " is out of range: give " + r.min() + " to " + r.max() + " (" + r.why() + ")");
            }
        }
    }
}
