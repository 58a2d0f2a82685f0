package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.ConfigError;
import org.attnbench.harness.config.Problem;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.harness.sweep.Runs;
import org.attnbench.workloads.Cell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks a sweep config without running it and lists its cells. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a sweep config (syntax, keys, types, names, combinations, and that this machine has its devices)"
                + " and list the cells it would run. "
                + "Each problem is one line with file:line:column and the key's path; exit code 2 when there is any.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG.yaml")
    Path config;

    @Mixin
    ConfigEdits edits;

    @Option(names = "--quiet", description = "Print only the summary line.")
    boolean quiet;

    @Option(names = "--skip-devices", description = "Do not check that this machine has the config's devices"
            + " (for a config meant for another machine).")
    boolean skipDevices;

    @Option(names = "--json", description = "Print the verdict, every problem (file, line, column, key path, message) and "
            + "every cell as JSON on stdout (schema: schemas/validate.schema.json); problems also go to stderr.")
    boolean json;

    @Override
    public Integer call() {
        if (!json) {
            CellPlan plan = plan();
            if (!quiet) {
                for (Cell cell : plan.cells()) System.out.println("  " + cell.label());
            }
            System.out.println("ok: " + config + " (" + plan.config().name() + "): " + plan.cells().size() + " cells ("
                    + (plan.cells().size() - plan.measured().size()) + " ceilings), " + groups(plan) + " groups");
            return ExitCode.OK;
        }
        try {
            CellPlan plan = plan();
            JsonOutput.print(ValidationJson.valid(config, plan, groups(plan)));
            return ExitCode.OK;
        } catch (ConfigError e) {
            JsonOutput.print(ValidationJson.invalid(config, e.located()));
            throw e;
        } catch (UserError e) {
            JsonOutput.print(ValidationJson.invalid(config, List.of(Problem.of(config.toString(), e.getMessage()))));
            throw e;
        }
    }

    private CellPlan plan() {
        SweepConfig c = SweepConfigReader.read(config, edits.scale, edits.overrides);
        CellPlan plan = CellPlan.of(c);
        if (!skipDevices) Runs.requireDevices(plan);
        Runs.requireMemory(plan);
        return plan;
    }

    private static long groups(CellPlan plan) {
        return plan.measured().stream().map(Cell::group).distinct().count();
    }
}
