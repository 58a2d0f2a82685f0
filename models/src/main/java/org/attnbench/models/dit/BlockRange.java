package org.attnbench.models.dit;

import org.attnbench.core.UserError;

/**
 * The transformer blocks a method patches, by depth: {@code all} (the default: every block sees
 * image tokens on the same grid, so no depth is special as a UNet's full-resolution level is), or
 * {@code FIRST-LAST} inclusive, counted from 0.
 */
public record BlockRange(int first, int last) {
    public static final BlockRange ALL = new BlockRange(0, Integer.MAX_VALUE);

    public static BlockRange parse(String text) {
        String t = text.trim();
        if (t.equals("all")) return ALL;
        String[] ends = t.split("-");
        try {
            if (ends.length == 2) {
                BlockRange r = new BlockRange(Integer.parseInt(ends[0].trim()), Integer.parseInt(ends[1].trim()));
                if (r.first >= 0 && r.first <= r.last) return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("blocks '" + text + "': use all, or FIRST-LAST counted from 0 (e.g. 0-13)");
    }

    public boolean contains(int block) {
        return block >= first && block <= last;
    }

    /** A UserError when the range reaches past the model's last block. */
    public void check(int layers) {
        if (!equals(ALL) && (first >= layers || last >= layers)) {
            throw new UserError("blocks " + this + " exceed the model's " + layers + " blocks (0-" + (layers - 1) + ")");
        }
    }

    @Override
    public String toString() {
        return equals(ALL) ? "all" : first + "-" + last;
    }
}
