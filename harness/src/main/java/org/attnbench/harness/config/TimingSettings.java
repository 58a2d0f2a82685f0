package org.attnbench.harness.config;

import java.util.List;

/**
 * How each cell is timed by JMH.
 *
 * @param warmup untimed runs (JMH warm-up iterations) per fork
 * @param iterations timed samples per fork
 * @param forks forked JVMs per cell (0 runs cells inside the sweep's JVM: quicker, less isolated)
 * @param minTimeS when above 0, each sample runs the workload repeatedly for at least this long
 *     and records every run (JMH's sample-time mode), for workloads of a few milliseconds
 * @param jvmArgs extra options of each forked JVM (e.g. {@code -Xmx16g} for large UNets)
 * @param interleave whether the cells of one backend, device and dtype share their forked JVMs and
 *     are timed in rounds, each round running every cell once: machine drift then touches every cell
 *     alike, so ratios between cells hold on a loaded machine (warm-up and iterations count rounds)
 * @param threads threads each operator may use (every backend's intra-op threads), 0 for the
 *     runtime's default (one per core). One keeps a cell's time from depending on whether another
 *     process holds a core: with one thread per core, an operator waits for its slowest thread,
 *     and operators of many small steps (ToMe's matching) wait far more than one large kernel
 */
public record TimingSettings(int warmup, int iterations, int forks, double minTimeS, List<String> jvmArgs,
        boolean interleave, int threads) {
    public static final TimingSettings DEFAULT = new TimingSettings(3, 10, 1, 0, List.of(), false, 0);

    public TimingSettings {
        jvmArgs = List.copyOf(jvmArgs);
    }
}
