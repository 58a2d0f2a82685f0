package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** PIL's own Image.resize(size, BICUBIC) of 8-bit images, level for level (resize8.safetensors, by make_goldens.py). */
class PilBicubic8Test {
    @Test
    void equalsPilOnGrayscaleCasesUpDownAndBoth() {
        int cases = 0;
        try (SafetensorsFile f = SafetensorsFile.open(FidelityGoldens.file("resize8.safetensors"))) {
            for (int i = 0; f.contains("case" + i + ".in"); i++) {
                HostTensor in = f.tensor("case" + i + ".in");
                HostTensor out = f.tensor("case" + i + ".out");
                int[] actual = PilBicubic.resize8(levels(in.toByteArray()), (int) in.shape()[1], (int) in.shape()[0],
                        (int) out.shape()[1], (int) out.shape()[0]);
                assertArrayEquals(levels(out.toByteArray()), actual, "case " + i);
                cases++;
            }
        }
        assertEquals(5, cases);
    }

    @Test
    void anRgbImageIsThreeIndependentPlanes() {
        try (SafetensorsFile f = SafetensorsFile.open(FidelityGoldens.file("resize8.safetensors"))) {
            HostTensor in = f.tensor("rgb.in");
            HostTensor out = f.tensor("rgb.out");
            int h = (int) in.shape()[0];
            int w = (int) in.shape()[1];
            int oh = (int) out.shape()[0];
            int ow = (int) out.shape()[1];
            int[] src = levels(in.toByteArray());
            int[] expected = levels(out.toByteArray());
            for (int c = 0; c < 3; c++) {
                int[] plane = new int[w * h];
                for (int i = 0; i < plane.length; i++) plane[i] = src[3 * i + c];
                int[] actual = PilBicubic.resize8(plane, w, h, ow, oh);
                int[] want = new int[ow * oh];
                for (int i = 0; i < want.length; i++) want[i] = expected[3 * i + c];
                assertArrayEquals(want, actual, "channel " + c);
            }
        }
    }

    private static int[] levels(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = bytes[i] & 0xff;
        return out;
    }
}
