package org.attnbench.models.attention;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.HostTensor;

/**
 * Flux's rotary positions (diffusers' FluxPosEmbed, theta 10000) for the image tokens of a gh x gw
 * grid. A token's position is (text index, row, column); each axis a owns {@code axes[a]} channels
 * of every head, whose pairs (2i, 2i+1) rotate by the angle position_a * theta^(-2i / axes[a]):
 * (x0, x1) to (x0 cos - x1 sin, x1 cos + x0 sin).
 *
 * <p>The pipeline gives image tokens text index 0 and text tokens position (0, 0, 0): a text
 * token's rotation is the identity, so only image tokens are rotated here. The grid's own
 * positions are tables computed once in float64 (as diffusers does) and stored as float32; tokens
 * a method made ({@link Tokens}) get their positions by the method's own map applied to the (row,
 * column) of every token, and the rotation is computed from those in the graph.
 */
public final class RotaryPositions {
    private static final double THETA = 10000;
    private final GraphBuilder g;
    private final int gh;
    private final int gw;
    private final int pairs;
    /** [2][pairs]: each pair's frequency on the row axis and on the column axis (0 off its axis). */
    private final double[][] frequencies;
    private final Map<String, Value[]> gridTables = new HashMap<>();

    /** @param axes channels of each axis (text index, row, column); they sum to the head dim */
    public RotaryPositions(GraphBuilder g, int gh, int gw, List<Integer> axes) {
        this.g = g;
        this.gh = gh;
        this.gw = gw;
        this.pairs = axes.stream().mapToInt(Integer::intValue).sum() / 2;
        this.frequencies = frequencies(axes);
    }

    /** Per pair of a head's channels, its frequency on the row axis (row 0) and the column axis (row 1). */
    public static double[][] frequencies(List<Integer> axes) {
        int pairs = axes.stream().mapToInt(Integer::intValue).sum() / 2;
        double[][] f = new double[2][pairs];
        int at = axes.get(0) / 2; // the text-index axis: always position 0
        for (int a = 1; a <= 2; a++) {
            int d = axes.get(a);
            for (int i = 0; i < d / 2; i++) f[a - 1][at + i] = Math.pow(THETA, -2.0 * i / d);
            at += d / 2;
        }
        return f;
    }

    /** x [B, M, heads x head dim] of the tokens given, each head rotated by their positions. */
    public Value rotate(Value x, Tokens tokens, int heads) {
        try (var s = g.scope("rotary")) { // a float16 conversion keeps the angles and the rotation in float32
            long b = x.dim(0), m = x.dim(1);
            Value[] cosSin = tokens.isAll() ? gridTables() : computed(tokens, b);
            List<Value> halves = g.split(g.reshape(x, b, m, heads, pairs, 2), 4, 1, 1);
            Value x0 = halves.get(0), x1 = halves.get(1), cos = cosSin[0], sin = cosSin[1];
            Value r0 = g.sub(g.mul(x0, cos), g.mul(x1, sin));
            Value r1 = g.add(g.mul(x1, cos), g.mul(x0, sin));
            return g.reshape(g.concat(4, r0, r1), b, m, x.dim(2));
        }
    }

    /** The grid's tokens' cos and sin [1, N, 1, pairs, 1], one pair of constants per graph. */
    private Value[] gridTables() {
        return gridTables.computeIfAbsent("grid", k -> {
            int n = gh * gw;
            float[] cos = new float[n * pairs], sin = new float[n * pairs];
            for (int r = 0; r < gh; r++) {
                for (int c = 0; c < gw; c++) {
                    for (int i = 0; i < pairs; i++) {
                        double angle = r * frequencies[0][i] + c * frequencies[1][i];
                        cos[(r * gw + c) * pairs + i] = (float) Math.cos(angle);
                        sin[(r * gw + c) * pairs + i] = (float) Math.sin(angle);
                    }
                }
            }
            return new Value[] {g.constant(HostTensor.of(cos, 1, n, 1, pairs, 1)), g.constant(HostTensor.of(sin, 1, n, 1, pairs, 1))};
        });
    }

    /** cos and sin [B, M, 1, pairs, 1] of the positions the tokens' map makes of the grid's. */
    private Value[] computed(Tokens tokens, long batch) {
        Value grid = g.expand(grid(), batch, (long) gh * gw, 2);
        Value positions = tokens.select(grid);                                   // [B, M, 2]
        float[] f = new float[2 * pairs];
        for (int a = 0; a < 2; a++) for (int i = 0; i < pairs; i++) f[a * pairs + i] = (float) frequencies[a][i];
        Value angles = g.matMul(positions, g.constant(HostTensor.of(f, 2, pairs))); // [B, M, pairs]
        angles = g.reshape(angles, batch, positions.dim(1), 1, pairs, 1);
        return new Value[] {g.op("Cos", angles), g.op("Sin", angles)};
    }

    /** (row, column) of every grid token [1, N, 2], row-major. */
    private Value grid() {
        return gridTables.computeIfAbsent("positions", k -> {
            float[] p = new float[gh * gw * 2];
            for (int t = 0; t < gh * gw; t++) {
                p[2 * t] = t / gw;
                p[2 * t + 1] = t % gw;
            }
            return new Value[] {g.constant(HostTensor.of(p, 1, (long) gh * gw, 2))};
        })[0];
    }
}
