package org.attnbench.cli;

import org.attnbench.core.UserError;
import org.attnbench.harness.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The attnbench command line. User mistakes exit 2 with one line; internal failures exit 1. */
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
    public static final int EXIT_USER_ERROR = 2;

    public static void main(String[] args) {
        int code;
        try {
            code = execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: out of memory (" + e.getMessage() + "): raise -Xmx through ATTNBENCH_JAVA_OPTS");
            code = 1;
        }
        System.exit(code);
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable root = e;
            while (!(root instanceof UserError) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof ConfigError config) {
                config.problems().forEach(p -> cmd.getErr().println("error: " + p));
                return EXIT_USER_ERROR;
            }
            if (root instanceof UserError) {
                cmd.getErr().println("error: " + firstLine(root.getMessage()));
                return EXIT_USER_ERROR;
            }
            cmd.getErr().println("internal error: " + e);
            if (System.getenv("ATTNBENCH_DEBUG") != null) e.printStackTrace(cmd.getErr());
            else cmd.getErr().println("(set ATTNBENCH_DEBUG=1 for the stack trace)");
            return 1;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + firstLine(ex.getMessage())
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USER_ERROR;
        });
        return cli.execute(args);
    }

    /** A user error is one line, even when a library's message has several. */
    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
