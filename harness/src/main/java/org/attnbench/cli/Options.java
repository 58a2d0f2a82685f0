package org.attnbench.cli;

import org.attnbench.core.UserError;
import org.attnbench.reports.compare.GateSettings;

/** Command-line overrides of settings shared by several commands. */
final class Options {
    private Options() {}

    static GateSettings gate(GateSettings s, Double factor, Double alpha, boolean gateTimes) {
        double f = factor == null ? s.factor() : factor;
        double a = alpha == null ? s.alpha() : alpha;
        if (!(f > 1)) throw new UserError("--factor must be above 1 (1.10 means 10%), got " + f);
        if (!(a > 0 && a < 1)) throw new UserError("--p-value must be in (0, 1), got " + a);
        return new GateSettings(f, a, s.tolerances(), gateTimes || s.gateTimes(), s.spread(), s.pairedRounds());
    }
}
