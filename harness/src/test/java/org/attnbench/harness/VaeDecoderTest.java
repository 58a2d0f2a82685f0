package org.attnbench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.vae.Png;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.models.vae.VaeDecoder;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny AutoencoderKL decoder from a diffusers-style folder the test writes, on both backends. */
class VaeDecoderTest {
    @TempDir
    Path dir;

    private static HostTensor decode(String backend, OnnxModel model, HostTensor latents) {
        try (Executable exe = Backends.byName(backend).compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            return exe.run(Map.of(VaeDecoder.INPUT, latents)).get(VaeDecoder.OUTPUT);
        }
    }

    @Test
    void decodesOnBothBackendsAlikeAndWritesAPng() throws IOException {
        VaeConfig config = VaeConfig.read(TinyVae.write(dir));
        assertEquals(2, config.upsampling());
        Random r = new Random(3);
        float[] z = new float[4 * 4 * 5];
        for (int i = 0; i < z.length; i++) z[i] = (float) (r.nextGaussian() * 0.18215);
        HostTensor latents = HostTensor.of(z, 1, 4, 4, 5);
        try (SafetensorsWeights weights = SafetensorsWeights.open(dir)) {
            OnnxModel model = VaeDecoder.build(config, 4, 5, weights);
            HostTensor ort = decode("onnxruntime", model, latents);
            HostTensor djl = decode("djl", model, latents);
            assertArrayEquals(new long[] {1, 3, 8, 10}, ort.shape());
            float[] a = ort.toFloats();
            float[] b = djl.toFloats();
            double scale = 0;
            for (float v : a) {
                assertTrue(Float.isFinite(v));
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0);
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4 * scale, "pixel value " + i);
            assertArrayEquals(a, decode("onnxruntime", VaeDecoder.build(config, 4, 5, new RandomWeights(TinyVae.SEED)), latents).toFloats());

            Path png = dir.resolve("out.png");
            Png.write(ort, png);
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(10, img.getWidth());
            assertEquals(8, img.getHeight());
            int red = Math.round((float) (Math.min(1, Math.max(0, a[0] / 2 + 0.5)) * 255));
            assertEquals(red, img.getRGB(0, 0) >> 16 & 0xff);
        }
    }
}
