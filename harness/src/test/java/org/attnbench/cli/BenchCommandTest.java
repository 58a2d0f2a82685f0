package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bench command's option handling; real benchmark runs are too slow for unit tests (see BENCHMARKS.md). */
class BenchCommandTest {
    @Test
    void helpListsTheOptions() {
        CliRun run = CliRun.of("bench", "--help");
        assertEquals(0, run.exitCode(), run.err());
        for (String option : new String[] {"--backend", "--grid", "--variant", "--forks", "--warmup", "--iterations",
            "--no-gemm", "--force", "--out"}) {
            assertTrue(run.out().contains(option), option + " in\n" + run.out());
        }
    }

    @Test
    void badVariantGridOrCountIsAUserErrorBeforeAnythingRuns() {
        CliRun variant = CliRun.of("bench", "--variant", "dense;todo:factr=2", "--no-gemm");
        assertEquals(Main.EXIT_USER_ERROR, variant.exitCode(), variant.err());
        assertTrue(variant.err().startsWith("error: "), variant.err());
        assertEquals(Main.EXIT_USER_ERROR, CliRun.of("bench", "--grid", "64by64").exitCode());
        assertEquals(Main.EXIT_USER_ERROR, CliRun.of("bench", "--iterations", "0").exitCode());
    }
}
