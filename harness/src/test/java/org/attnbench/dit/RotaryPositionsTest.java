package org.attnbench.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.methods.token.DownsampleMethod;
import org.attnbench.models.attention.RotaryPositions;
import org.attnbench.methods.token.TodoDownsample;
import org.attnbench.models.attention.Tokens;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/**
 * Which positions ToDo's keys carry under Flux's rotary embedding: a nearest key its own token's,
 * so it is exactly that token's rotated key; a pooled or interpolated key the centre of its cell.
 */
class RotaryPositionsTest {
    private static final int H = 6;
    private static final int W = 4;
    private static final List<Integer> AXES = List.of(2, 4, 6);

    /** The (row, column) each downsampled key carries, run on ONNX Runtime. */
    private static float[] keyPositions(int factor, DownsampleMethod method) {
        GraphBuilder g = new GraphBuilder("positions");
        Value grid = g.input("grid", DType.FLOAT32, 1, H * W, 2);
        g.output("out", TodoDownsample.positions(g, grid, H, W, factor, method));
        float[] p = new float[H * W * 2];
        for (int t = 0; t < H * W; t++) {
            p[2 * t] = t / W;
            p[2 * t + 1] = t % W;
        }
        return run(g, Map.of("grid", HostTensor.of(p, 1, H * W, 2)));
    }

    private static float[] run(GraphBuilder g, Map<String, HostTensor> in) {
        try (Executable exe = Backends.byName("onnxruntime").compile(g.build(), Device.CPU, CompileOptions.DEFAULT)) {
            return exe.run(in).get("out").toFloats();
        }
    }

    @Test
    void aNearestKeyCarriesItsOwnTokensPosition() {
        // nearest-exact at factor 2 keeps the token at (2i + 1, 2j + 1); nearest the one at (2i, 2j)
        assertArrayEquals(new float[] {1, 1, 1, 3, 3, 1, 3, 3, 5, 1, 5, 3}, keyPositions(2, DownsampleMethod.NEAREST_EXACT));
        assertArrayEquals(new float[] {0, 0, 0, 2, 2, 0, 2, 2, 4, 0, 4, 2}, keyPositions(2, DownsampleMethod.NEAREST));
    }

    @Test
    void aPooledOrInterpolatedKeyCarriesTheCentreOfItsCell() {
        float[] centres = {0.5f, 0.5f, 0.5f, 2.5f, 2.5f, 0.5f, 2.5f, 2.5f, 4.5f, 0.5f, 4.5f, 2.5f};
        for (DownsampleMethod m : new DownsampleMethod[] {DownsampleMethod.AVG_POOL, DownsampleMethod.MAX_POOL,
                DownsampleMethod.BILINEAR, DownsampleMethod.AREA}) {
            assertArrayEquals(centres, keyPositions(2, m), 1e-6f, m.specName());
        }
    }

    @Test
    void aNearestKeyIsExactlyItsTokensRotatedKey() {
        GraphBuilder g = new GraphBuilder("rotated");
        Value x = g.input("x", DType.FLOAT32, 1, H * W, 2 * AXES.stream().mapToInt(Integer::intValue).sum());
        RotaryPositions rotary = new RotaryPositions(g, H, W, AXES);
        Value keys = TodoDownsample.apply(g, x, H, W, 2, DownsampleMethod.NEAREST_EXACT);
        Value rotatedKeys = rotary.rotate(keys,
                new Tokens(keys, t -> TodoDownsample.positions(g, t, H, W, 2, DownsampleMethod.NEAREST_EXACT)), 2);
        Value keptRotated = TodoDownsample.apply(g, rotary.rotate(x, Tokens.all(x), 2), H, W, 2, DownsampleMethod.NEAREST_EXACT);
        g.output("out", g.sub(rotatedKeys, keptRotated));
        float[] v = new float[(int) HostTensor.numel(x.shape())];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        float[] diff = run(g, Map.of("x", HostTensor.of(v, x.shape())));
        assertEquals(6 * 24, diff.length);
        for (float d : diff) assertEquals(0, d, 2e-5, "a kept key rotated by its own position");
    }
}
