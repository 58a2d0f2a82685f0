package org.attnbench.workloads.text;

import java.util.List;
import org.attnbench.core.UserError;

/**
 * An ordered, named set of prompts, as a sweep samples them: its name travels with every row and
 * the report, its order decides which image is which.
 *
 * @param name what rows and reports call the set (a file's name without its extension, or "prompts")
 * @param prompts the prompts in order
 * @param source where they came from: a file (and its format) or "the config"
 */
public record PromptSet(String name, List<String> prompts, String source) {
    public PromptSet {
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) throw new UserError("prompt set '" + name + "' (" + source + ") holds no prompts");
    }

    public int size() {
        return prompts.size();
    }

    /** The first {@code limit} prompts (all when there are fewer). */
    public PromptSet limit(int limit) {
        return limit >= prompts.size() ? this : new PromptSet(name, prompts.subList(0, limit), source + ", first " + limit);
    }

    /** The same prompts under another name. */
    public PromptSet named(String other) {
        return new PromptSet(other, prompts, source);
    }
}
