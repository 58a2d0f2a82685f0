package org.attnbench.harness.config;

import java.util.List;
import org.attnbench.core.UserError;

/** A config with problems: one line per problem, all found before anything runs. */
public final class ConfigError extends UserError {
    private final List<Problem> located;

    public ConfigError(List<Problem> problems) {
        super(String.join("\n", problems.stream().map(Problem::toString).toList()));
        this.located = List.copyOf(problems);
    }

    /** The problems as the lines the CLI prints. */
    public List<String> problems() {
        return located.stream().map(Problem::toString).toList();
    }

    /** The problems with their places. */
    public List<Problem> located() {
        return located;
    }
}
