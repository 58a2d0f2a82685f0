package org.attnbench.harness.sweep;

import java.io.PrintStream;
import java.util.Locale;
import org.attnbench.harness.config.Cell;
import org.attnbench.store.ResultRow;

/**
 * Progress of a sweep: a line per finished cell (its result, count, elapsed time and ETA) and,
 * on a terminal, a bar redrawn every second on stderr with the running cell and how long it has
 * been running. The ETA is the mean time of the cells finished in this session times the cells left.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final PrintStream bar;
    private final int total;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private int done;
    private int finishedHere;
    private volatile String running = "";
    private volatile long cellStart;

    Progress(PrintStream out, int total, int alreadyDone, boolean terminal) {
        this.out = out;
        this.total = total;
        this.done = alreadyDone;
        this.bar = terminal ? System.err : null;
        this.ticker = terminal ? new Thread(this::tick, "progress") : null;
        if (ticker != null) {
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    synchronized void started(Cell cell) {
        running = cell.label();
        cellStart = System.nanoTime();
        redraw();
    }

    synchronized void finished(ResultRow row) {
        done++;
        finishedHere++;
        clearBar();
        out.printf(Locale.ROOT, "[%d/%d] %s: %s   (elapsed %s, eta %s)%n", done, total, running, Summary.outcome(row),
                duration(elapsed()), duration(eta()));
        running = "";
        redraw();
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds left, from the mean of the cells finished in this session; NaN before the first. */
    double eta() {
        if (finishedHere == 0) return Double.NaN;
        return elapsed() / finishedHere * (total - done);
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                synchronized (this) {
                    redraw();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void redraw() {
        if (bar == null) return;
        int filled = total == 0 ? WIDTH : WIDTH * done / total;
        String now = running.isEmpty() ? "" : "  running " + running + " (" + duration((System.nanoTime() - cellStart) / 1e9) + ")";
        bar.printf(Locale.ROOT, "\r\033[K[%s%s] %d/%d %3d%%  elapsed %s  eta %s%s", "#".repeat(filled),
                "-".repeat(WIDTH - filled), done, total, total == 0 ? 100 : 100 * done / total, duration(elapsed()),
                duration(eta()), now);
        bar.flush();
    }

    private void clearBar() {
        if (bar == null) return;
        bar.print("\r\033[K");
        bar.flush();
    }

    static String duration(double seconds) {
        if (Double.isNaN(seconds)) return "?";
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.interrupt();
        clearBar();
    }
}
