package org.attnbench.harness.sweep;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.attnbench.store.ResultRow;
import org.attnbench.workloads.Cell;

/**
 * Progress of a sweep: a line per finished cell (its result, count, elapsed time and ETA) and,
 * on a terminal, a bar redrawn every second on stderr with the running cell and how long it has
 * been running. The ETA predicts each cell left: a cell with counted work (a UNet loop's FLOPs)
 * by a line through the (work, seconds) of such cells finished in this session (a fixed cost per
 * cell plus a cost per FLOP; through the origin until two sizes have finished), any other at the
 * mean time of the cells finished in this session.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final PrintStream bar;
    private final int total;
    /** The cells not started yet, in run order. */
    private final List<Cell> left;
    /** A cell's counted work, NaN where it has none. */
    private final ToDoubleFunction<Cell> work;
    private final long start = System.nanoTime();
    private double finishedSeconds;
    /** Work and seconds of the finished cells that have counted work. */
    private final List<double[]> weighed = new ArrayList<>();
    private final Thread ticker;
    private int done;
    private int finishedHere;
    private volatile String running = "";
    private volatile long cellStart;
    private Cell current;

    Progress(PrintStream out, int total, List<Cell> left, ToDoubleFunction<Cell> work, boolean terminal) {
        this.out = out;
        this.total = total;
        this.done = total - left.size();
        this.left = new ArrayList<>(left);
        this.work = work;
        this.bar = terminal ? System.err : null;
        this.ticker = terminal ? new Thread(this::tick, "progress") : null;
        if (ticker != null) {
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    synchronized void started(Cell cell) {
        current = cell;
        left.remove(cell);
        running = cell.label();
        cellStart = System.nanoTime();
        redraw();
    }

    synchronized void finished(ResultRow row) {
        done++;
        finishedHere++;
        double seconds = (System.nanoTime() - cellStart) / 1e9;
        finishedSeconds += seconds;
        double w = current == null ? Double.NaN : work.applyAsDouble(current);
        if (Double.isFinite(w) && w > 0) weighed.add(new double[] {w, seconds});
        current = null;
        clearBar();
        out.printf(Locale.ROOT, "[%d/%d] %s: %s   (elapsed %s, eta %s)%n", done, total, running, Summary.outcome(row),
                duration(elapsed()), duration(eta()));
        running = "";
        redraw();
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds left: every cell left predicted, the running one less what it has run; NaN before the first cell ends. */
    double eta() {
        if (finishedHere == 0) return Double.NaN;
        double seconds = 0;
        for (Cell c : left) seconds += predicted(c);
        if (current != null) seconds += Math.max(0, predicted(current) - (System.nanoTime() - cellStart) / 1e9);
        return seconds;
    }

    private double predicted(Cell c) {
        double w = work.applyAsDouble(c);
        if (!Double.isFinite(w) || weighed.isEmpty()) return finishedSeconds / finishedHere;
        double[] line = line(weighed);
        return line[0] + line[1] * w;
    }

    /** Least-squares seconds = a + b x work through (work, seconds) points, a and b not negative. */
    static double[] line(List<double[]> weighed) {
        double n = weighed.size();
        double sw = 0, st = 0, sww = 0, swt = 0;
        for (double[] p : weighed) {
            sw += p[0];
            st += p[1];
            sww += p[0] * p[0];
            swt += p[0] * p[1];
        }
        double det = n * sww - sw * sw;
        double b = det > 1e-9 * sww * n ? (n * swt - sw * st) / det : 0;
        double a = (st - b * sw) / n;
        if (b <= 0 || a < 0) return new double[] {0, st / sw};
        return new double[] {a, b};
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
