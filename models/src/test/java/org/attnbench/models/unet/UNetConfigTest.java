package org.attnbench.models.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.core.UserError;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UNetConfigTest {
    @TempDir
    Path dir;

    @Test
    void bundledConfigsReadDiffusersQuirks() {
        UNetConfig sd15 = UNetConfig.load("sd15");
        assertArrayEquals(new int[] {8, 8, 8, 8}, sd15.heads()); // attention_head_dim is the head count
        assertEquals(8, sd15.totalDownsampling());
        UNetConfig sdxl = UNetConfig.load("sdxl");
        assertArrayEquals(new int[] {1, 2, 10}, sdxl.transformerLayersPerBlock());
        assertEquals(1280, sdxl.textEmbedsDim());
        assertEquals(4, sdxl.totalDownsampling());
        assertTrue(UNetConfig.load("sd21").useLinearProjection());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"down_block_types\": [\"CrossAttnDownBlock2D\", \"DownBlock2D\"] | \"down_block_types\": [\"AttnDownBlock2D\", \"DownBlock2D\"] | down_block_types=AttnDownBlock2D is not supported",
        "\"act_fn\": \"silu\"             | \"act_fn\": \"gelu\"                | act_fn=\"gelu\" is not supported",
        "\"freq_shift\": 0                | \"freq_shift\": 0, \"class_embed_type\": \"timestep\" | class_embed_type=\"timestep\" is not supported",
        "\"freq_shift\": 0                | \"freq_shift\": 0, \"magic\": 1     | unknown key 'magic'",
    })
    void unsupportedKeysAreRefusedByName(String from, String to, String message) throws Exception {
        String tiny = new String(UNetConfig.class.getResourceAsStream("/unet/tiny.json").readAllBytes());
        assertTrue(tiny.contains(from), from);
        Path file = dir.resolve("config.json");
        Files.writeString(file, tiny.replace(from, to));
        UserError e = assertThrows(UserError.class, () -> UNetConfig.load(file.toString()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aResolutionMustFitTheVaeAndEveryDownsampler() {
        TokenPatch dense = TokenPatch.unpatched(Kernel.MATMUL);
        UserError notEight = assertThrows(UserError.class,
                () -> UNetGraph.build(UNetConfig.load("tiny"), 60, 1, dense, new RandomWeights(0)));
        assertTrue(notEight.getMessage().startsWith("resolution 60 px does not fit tiny: use sides that are positive multiples of 16 px"),
                notEight.getMessage());
        UserError sd15 = assertThrows(UserError.class, () -> UNetGraph.latentSize(UNetConfig.load("sd15"), 520));
        assertTrue(sd15.getMessage().contains("multiples of 64 px"), sd15.getMessage());
        assertEquals(64, UNetGraph.latentSize(UNetConfig.load("sd15"), 512));
        assertArrayEquals(new int[] {104, 152}, UNetGraph.latentSize(UNetConfig.load("sdxl"), ImageSize.parse("1216x832")));
        UserError wide = assertThrows(UserError.class, () -> UNetGraph.latentSize(UNetConfig.load("sd15"), ImageSize.parse("1920x1080")));
        assertTrue(wide.getMessage().startsWith("image size 1920x1080 px (width x height) does not fit sd15"), wide.getMessage());
    }

    @Test
    void nonSquareGraphsKeepHeightAndWidthApart() {
        var model = UNetGraph.build(UNetConfig.load("tiny"), new ImageSize(32, 64), 1,
                TokenPatch.unpatched(Kernel.MATMUL), new RandomWeights(0));
        var sample = model.proto().getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals(4, sample.getDim(2).getDimValue());
        assertEquals(8, sample.getDim(3).getDimValue());
    }

    @Test
    void imageSizesReadAsWidthByHeight() {
        assertEquals(new ImageSize(832, 1216), ImageSize.parse("1216x832"));
        assertEquals("1216x832", ImageSize.parse(" 1216 x 832 ").toString());
        assertEquals("1024", ImageSize.parse("1024").toString());
        assertEquals(ImageSize.square(1024), ImageSize.parse("1024x1024"));
        UserError e = assertThrows(UserError.class, () -> ImageSize.parse("1216x"));
        assertTrue(e.getMessage().contains("is not PIXELS or WIDTHxHEIGHT"), e.getMessage());
    }
}
