package org.attnbench.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.attnbench.core.OutputFiles;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Checks where a command will write before it starts, for every command alike: an option of type
 * {@link Path} named {@code -o}, {@code --out}, {@code --output}, {@code --outputs} or
 * {@code --save-*} is an output; its parameter label ending in {@code DIR} makes it a folder,
 * else a file. A file output must be a regular file or absent (never a folder, FIFO or device),
 * a folder output a folder or absent, so nothing is built, run or written for a path that would
 * be refused at the end.
 */
final class OutputOptions {
    private static final List<String> NAMES = List.of("-o", "--out", "--output", "--outputs");

    private OutputOptions() {}

    static void check(ParseResult parsed) {
        ParseResult last = parsed;
        while (last.hasSubcommand()) last = last.subcommand();
        for (OptionSpec o : last.matchedOptions()) {
            if (!isOutput(o) || !(o.getValue() instanceof Path path)) continue;
            if (o.paramLabel().endsWith("DIR")) OutputFiles.requireFolder(path, o.longestName());
            else OutputFiles.requireFile(path, o.longestName());
        }
    }

    static boolean isOutput(OptionSpec o) {
        return o.type() == Path.class
                && Arrays.stream(o.names()).anyMatch(n -> NAMES.contains(n) || n.startsWith("--save-"));
    }
}
