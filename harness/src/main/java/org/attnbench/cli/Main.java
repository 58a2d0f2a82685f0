package org.attnbench.cli;

import org.attnbench.core.UserError;
import org.attnbench.harness.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The attnbench command line. Exit codes are {@link ExitCode}'s: user mistakes exit 2 with one
 * line each; internal failures exit 4 with one line naming the log that holds the stack trace.
 */
@Command(name = "attnbench", mixinStandardHelpOptions = true, version = "attnbench 0.1.0",
        description = "Benchmark and evaluation suite for training-free attention acceleration (ToDo, ToMe) in diffusion models.",
        subcommands = {
            BackendsCommand.class,
            RunCommand.class,
            ValidateCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            GateCommand.class,
            MergeCommand.class,
            AttentionCommand.class,
            UNetCommand.class,
            RunOnnxCommand.class,
            ConformanceCommand.class,
            FeaturesCommand.class,
            FidCommand.class,
            ParamsCommand.class,
            ExportOnnxCommand.class,
            EncodePromptsCommand.class,
            ClipScoreCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    public static final int EXIT_USER_ERROR = ExitCode.USER_ERROR;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return execute(new CommandLine(new Main()), args);
    }

    /** Runs a command line on {@code cli} (which tests may give extra subcommands) with the shared handling. */
    static int execute(CommandLine cli, String... args) {
        configure(cli);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            return InternalErrorLog.report(cli.getErr(), e, args, "out of memory: raise -Xmx through ATTNBENCH_JAVA_OPTS");
        } catch (RuntimeException | Error e) { // an Error picocli lets through (a stack overflow, a linkage error)
            return InternalErrorLog.report(cli.getErr(), e, args, null);
        }
    }

    /** The handling every command shares, set here so that a command added later inherits it. */
    private static void configure(CommandLine cli) {
        setExitCodeHelp(cli);
        cli.setExecutionStrategy(parsed -> {
            try {
                NumericOptions.check(parsed);
                OutputOptions.check(parsed);
            } catch (UserError e) {
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable root = e;
            while (!(root instanceof UserError) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof ConfigError config) {
                config.problems().forEach(p -> cmd.getErr().println("error: " + p));
                return ExitCode.USER_ERROR;
            }
            if (root instanceof UserError) {
                cmd.getErr().println("error: " + firstLine(root.getMessage()));
                return ExitCode.USER_ERROR;
            }
            return InternalErrorLog.report(cmd.getErr(), e, parsed.originalArgs().toArray(String[]::new), null);
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + firstLine(ex.getMessage())
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USER_ERROR;
        });
    }

    /** Every command's help ends with the exit codes. */
    private static void setExitCodeHelp(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
        cli.getSubcommands().values().forEach(Main::setExitCodeHelp);
    }

    /** A user error is one line, even when a library's message has several. */
    static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
