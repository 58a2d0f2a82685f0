package org.attnbench.models.attention;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/** The q/k RMSNorm of DiT attentions (qk_norm "rms_norm"): each head's channels over their root mean square. */
final class HeadNorm {
    private HeadNorm() {}

    /** x [B, N, C] as heads of C / heads channels, each divided by sqrt(mean square + eps), times weight [C / heads]. */
    static Value rms(GraphBuilder g, Value x, Value weight, int heads, float eps) {
        long b = x.dim(0), n = x.dim(1), c = x.dim(2);
        Value h = g.reshape(x, b, n, heads, c / heads);
        Value meanSquare = g.reduceMean(g.mul(h, h), new long[] {-1}, true);
        Value scaled = g.div(h, g.op("Sqrt", g.add(meanSquare, g.constScalar(eps))));
        return g.reshape(g.mul(scaled, weight), b, n, c);
    }
}
