package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** PIL's own Image.resize(size, BICUBIC) of float images, bit for bit (resize.safetensors, by make_goldens.py). */
class PilBicubicTest {
    @Test
    void equalsPilOnEnlargingShrinkingOddAndOneAxisCases() {
        int cases = 0;
        try (SafetensorsFile f = SafetensorsFile.open(FidelityGoldens.file("resize.safetensors"))) {
            for (int i = 0; f.contains("case" + i + ".in"); i++) {
                HostTensor in = f.tensor("case" + i + ".in");
                HostTensor out = f.tensor("case" + i + ".out");
                int h = (int) in.shape()[0];
                int w = (int) in.shape()[1];
                int oh = (int) out.shape()[0];
                int ow = (int) out.shape()[1];
                float[] actual = PilBicubic.resize(in.toFloats(), w, h, ow, oh);
                assertArrayEquals(out.toFloats(), actual, 0f, "case " + i + ": " + w + "x" + h + " -> " + ow + "x" + oh);
                cases++;
            }
        }
        assertEquals(7, cases);
    }

    @Test
    void enlargingOvershootsAtASharpEdgeWhichTheBilinearFilterNeverDoes() {
        float[] step = {0, 0, 0, 0, 255, 255, 255, 255};
        float[] up = PilBicubic.resize(step, 8, 1, 32, 1);
        double min = 0;
        double max = 0;
        for (float v : up) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min < -1 && max > 256, "bicubic rings around an edge: " + Arrays.toString(up));
    }

    @Test
    void shrinkingIsAntialiased() {
        int n = 64;
        float[] board = new float[n * n];
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) board[y * n + x] = (x + y) % 2 == 0 ? 255 : 0;
        for (float v : PilBicubic.resize(board, n, n, 7, 7)) assertEquals(127.5, v, 3, "a checkerboard shrinks to grey");
    }

    @Test
    void sameSizeIsACopy() {
        float[] v = {1, 5, -2, 8, 3, 7};
        assertArrayEquals(v, PilBicubic.resize(v, 3, 2, 3, 2), 0f);
    }
}
