package org.attnbench.harness.sweep;

import org.attnbench.core.UserError;

/** One slice of a sweep, {@code I/N} with 1 <= I <= N. */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new UserError("shard " + index + "/" + count + " is not I/N with 1 <= I <= N");
        }
    }

    public static Shard parse(String text) {
        String[] p = text.trim().split("/");
        try {
            if (p.length == 2) return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("--shard '" + text + "' is not I/N (e.g. 2/8)");
    }

    public String slug() {
        return "shard-" + index + "-of-" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
