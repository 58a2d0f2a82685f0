package org.attnbench.reports.data;

import java.util.Locale;

/** How numbers read in tables and captions; a value that was not measured reads as a dash, never 0. */
public final class Numbers {
    public static final String NOT_MEASURED = "–";

    private Numbers() {}

    public static boolean known(double v) {
        return Double.isFinite(v);
    }

    /** "1.85×". */
    public static String speedup(double v) {
        return known(v) ? String.format(Locale.ROOT, "%.2f×", v) : NOT_MEASURED;
    }

    /** "1.85× [1.80, 1.91]" with the interval when there is one. */
    public static String speedup(double v, double low, double high) {
        if (!known(v)) return NOT_MEASURED;
        if (!known(low) || !known(high) || (low == 0 && high == 0)) return speedup(v);
        return String.format(Locale.ROOT, "%.2f× [%.2f, %.2f]", v, low, high);
    }

    /** Milliseconds with three significant digits: "12.3 ms", "0.412 ms", "1530 ms". */
    public static String ms(double v) {
        return known(v) ? sig(v) + " ms" : NOT_MEASURED;
    }

    /** Scientific for errors: "6.25e-3". */
    public static String sci(double v) {
        if (!known(v)) return NOT_MEASURED;
        if (v == 0) return "0";
        String s = String.format(Locale.ROOT, "%.3e", v);
        return s.replace("e-0", "e-").replace("e+0", "e+").replace("e+", "e");
    }

    /** Three significant digits, plain where that reads better than scientific. */
    public static String sig(double v) {
        if (!known(v)) return NOT_MEASURED;
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) return sci(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** "MiB" figures: "812 MiB". */
    public static String mib(double v) {
        return known(v) ? String.format(Locale.ROOT, "%.0f MiB", v) : NOT_MEASURED;
    }

    /** A fraction as a percentage: 0.123 -> "12.3%". */
    public static String percent(double fraction) {
        return known(fraction) ? sig(100 * fraction) + "%" : NOT_MEASURED;
    }
}
