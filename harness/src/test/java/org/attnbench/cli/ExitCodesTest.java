package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * One exit code per outcome, so CI can act: 0 done, 1 a check failed, 2 a user's mistake, 3
 * failed cells, 4 an internal error whose one line names the log with the stack trace. (1 and 3
 * on real runs: JsonOutputTest, GateTest and RunCommandTest.)
 */
class ExitCodesTest {
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("a bug\nwith a second line");
        }
    }

    @Command(name = "overflow")
    static final class Overflow implements Callable<Integer> {
        @Override
        public Integer call() {
            return call() + 1;
        }
    }

    private static CliRun withTestCommands(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new Main()).addSubcommand(new Boom()).addSubcommand(new Overflow());
            int code = Main.execute(cli, args);
            return new CliRun(code, "", err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void anInternalErrorIsOneLineNamingItsLogWithTheStackTrace() throws Exception {
        for (String command : new String[] {"boom", "overflow"}) {
            CliRun run = withTestCommands(command);
            assertEquals(ExitCode.INTERNAL_ERROR, run.exitCode(), run.err());
            assertEquals(1, run.errLines().size(), run.err());
            Matcher m = Pattern.compile("^internal error: (.+) \\(stack trace in (\\S+\\.log)\\)$").matcher(run.errLines().get(0));
            assertTrue(m.matches(), run.err());
            Path log = Path.of(m.group(2));
            String text = Files.readString(log);
            assertTrue(text.startsWith("attnbench " + command + "\n"), text);
            assertTrue(text.contains("\tat org.attnbench.cli.ExitCodesTest$"), "the log holds the stack trace: " + text);
            Files.delete(log);
        }
        String line = withTestCommands("boom").errLines().get(0);
        assertTrue(line.startsWith("internal error: java.lang.IllegalStateException: a bug (stack trace in "), line);
        Files.delete(Path.of(line.substring(line.indexOf(" in /") + 4, line.length() - 1)));
    }

    @Test
    void aUserErrorIsTwoAndDoneIsZero() {
        CliRun.of("attention", "--grid", "8x8", "--channels", "16").assertOneErrorLine("--heads");
        CliRun.of("validate", "no-such.yaml").assertOneErrorLine("config not found: no-such.yaml");
        assertEquals(ExitCode.OK, CliRun.of("validate", "--quiet", "../configs/quickstart.yaml").exitCode());
        assertEquals(ExitCode.OK, CliRun.of("--version").exitCode());
    }

    @Test
    void everyCommandsHelpListsTheExitCodes() {
        CommandLine cli = new CommandLine(new Main());
        Main.execute(cli, "--version"); // the shared settings are made on the first run
        for (CommandLine sub : cli.getSubcommands().values()) {
            String help = sub.getUsageMessage();
            assertTrue(help.contains("Exit codes:"), sub.getCommandName() + ": " + help);
            for (int code = 0; code <= 4; code++) {
                assertTrue(help.matches("(?s).*\\n  " + code + "   \\S.*"), sub.getCommandName() + " lists " + code + ": " + help);
            }
        }
        CliRun help = CliRun.of("compare", "--help");
        assertEquals(ExitCode.OK, help.exitCode());
        assertTrue(help.out().contains("3   Cells failed"), help.out());
        assertFalse(help.out().isEmpty());
    }
}
