package org.attnbench.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guidance batches are (empty prompt, prompt); SDXL adds its pooled embedding and size ids. */
class ConditioningTest {
    private static final int DIM = 3;
    private static final int N = 77 * DIM;

    @TempDir
    Path dir;

    private static float[] filled(float v) {
        float[] a = new float[N];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void fileWithBothPromptsGivesUncondThenCond() {
        Path file = dir.resolve("e.safetensors");
        Safetensors.write(file, Map.of("cond", HostTensor.of(filled(2), 1, 77, DIM), "uncond", HostTensor.of(filled(-1), 1, 77, DIM)));
        Conditioning c = Conditioning.read(file, DIM);
        float[] both = c.inputs(2).get(UNetGraph.ENCODER_HIDDEN_STATES).toFloats();
        assertEquals(-1, both[0]);
        assertEquals(2, both[N]);
        assertArrayEquals(filled(2), c.inputs(1).get(UNetGraph.ENCODER_HIDDEN_STATES).toFloats());
        assertEquals(file.toString(), c.source());
    }

    @Test
    void missingUncondIsZerosAndAWrongNameIsRefused() {
        Path file = dir.resolve("e.safetensors");
        Safetensors.write(file, Map.of("prompt", HostTensor.of(filled(2), 1, 77, DIM)));
        float[] both = Conditioning.read(file, DIM).inputs(2).get(UNetGraph.ENCODER_HIDDEN_STATES).toFloats();
        assertEquals(0, both[N - 1]);
        assertEquals(2, both[N]);
        Safetensors.write(file, Map.of("a", HostTensor.of(filled(2), 1, 77, DIM), "b", HostTensor.of(filled(2), 1, 77, DIM)));
        assertThrows(UserError.class, () -> Conditioning.read(file, DIM));
    }

    @Test
    void sdxlInputs() {
        Map<String, HostTensor> in = Conditioning.random(1, DIM).withSdxlInputs(2, 1280, 1024, 768).inputs(2);
        assertArrayEquals(new long[] {2, 1280}, in.get(UNetGraph.TEXT_EMBEDS).shape());
        assertEquals(0, in.get(UNetGraph.TEXT_EMBEDS).toFloats()[0]);
        assertArrayEquals(new float[] {1024, 768, 0, 0, 1024, 768, 1024, 768, 0, 0, 1024, 768},
                in.get(UNetGraph.TIME_IDS).toFloats());
        assertEquals("random seed 1", Conditioning.random(1, DIM).source());
    }
}
