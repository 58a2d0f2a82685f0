package org.attnbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.attnbench.reports.Format;
import org.attnbench.reports.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a run's report: a static folder with index.html, report.md, charts and tables. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a run's report: index.html and report.md with every chart as PNG and SVG, in a static folder"
                + " with relative links only (publish it as it is). Prints the page to open.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'attnbench run'.")
    Path run;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "Compare with an earlier run (or a committed baseline such as results/baselines/gate) cell by cell; "
                    + "regressions are highlighted.")
    Path baseline;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT_DIR", description = "Where to write (default: RUN_DIR/report).")
    Path out;

    @Option(names = "--format", defaultValue = "both", paramLabel = "html|md|both",
            description = "Which files to write (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        Path page = Report.write(run, baseline, out, Format.parse(format));
        System.out.println("report: " + page);
        return 0;
    }
}
