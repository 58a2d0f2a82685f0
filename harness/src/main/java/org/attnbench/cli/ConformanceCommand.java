package org.attnbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.attnbench.backend.Backend;
import org.attnbench.backend.conformance.ConformanceCase;
import org.attnbench.backend.conformance.ConformanceResult;
import org.attnbench.backend.conformance.ConformanceRunner;
import org.attnbench.core.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs ONNX backend test cases on one backend: a line per case, then the totals. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Run ONNX backend test cases (folders with model.onnx and test_data_set_N) on a backend. "
                + "Prints one line per case and the totals last; exits 1 when any case fails.")
final class ConformanceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR",
            description = "Folder searched for cases, e.g. /usr/share/libonnx-testdata/data/node.")
    private Path dir;

    @Mixin
    private BackendOptions target;

    @Option(names = "--filter", paramLabel = "REGEX", description = "Only cases whose name contains a match.")
    private String filter;

    @Override
    public Integer call() {
        Backend backend = target.backend();
        ConformanceRunner runner = new ConformanceRunner(backend, target.device(backend));
        if (!Files.isDirectory(dir)) throw new UserError("conformance folder not found: " + dir);
        Pattern pattern = filter == null ? null : compile(filter);
        List<ConformanceCase> cases = ConformanceCase.discover(dir).stream()
                .filter(c -> pattern == null || pattern.matcher(c.name()).find()).toList();
        if (cases.isEmpty()) {
            throw new UserError("no test cases (folders with model.onnx) under " + dir
                    + (filter == null ? "" : " match '" + filter + "'"));
        }
        List<ConformanceResult> results = new ArrayList<>();
        for (ConformanceCase c : cases) {
            ConformanceResult r = runner.run(c);
            System.out.println(r);
            results.add(r);
        }
        System.out.println(ConformanceRunner.summary(results));
        return results.stream().anyMatch(r -> r.status() == ConformanceResult.Status.FAIL) ? 1 : 0;
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UserError("invalid --filter '" + regex + "': " + e.getDescription() + " near index " + e.getIndex());
        }
    }
}
