package org.attnbench.harness.config;

import java.util.List;
import org.attnbench.core.UserError;

/** A config with problems: one line per problem, all found before anything runs. */
public final class ConfigError extends UserError {
    private final List<String> problems;

    public ConfigError(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
