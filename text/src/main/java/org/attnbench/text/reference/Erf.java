package org.attnbench.text.reference;

/** The error function in float64, to about 1e-15: its Maclaurin series below 2, the continued fraction of erfc from there. */
final class Erf {
    private Erf() {}

    static double erf(double x) {
        double a = Math.abs(x);
        double r = a < 2 ? series(a) : 1 - erfcFraction(a);
        return Math.copySign(r, x);
    }

    /** erf(a) = 2/sqrt(pi) sum_n (-1)^n a^(2n+1) / (n! (2n+1)). */
    private static double series(double a) {
        double term = a;
        double sum = a;
        for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= -a * a / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** erfc(a) = exp(-a^2)/sqrt(pi) / (a + 1/2 / (a + 1 / (a + 3/2 / (a + ...)))), evaluated from the tail. */
    private static double erfcFraction(double a) {
        double f = a;
        for (int n = 120; n >= 1; n--) f = a + n / 2.0 / f;
        return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }
}
