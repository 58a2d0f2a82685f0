package org.attnbench.models.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.core.UserError;
import org.attnbench.models.attention.VariantSpec;
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
        UNetPatch dense = UNetPatch.of(VariantSpec.parse("dense"));
        UserError notEight = assertThrows(UserError.class,
                () -> UNetGraph.build(UNetConfig.load("tiny"), 60, 1, dense, new RandomWeights(0)));
        assertTrue(notEight.getMessage().startsWith("resolution 60 px does not fit tiny: use a positive multiple of 16 px"),
                notEight.getMessage());
        UserError sd15 = assertThrows(UserError.class, () -> UNetGraph.latentSize(UNetConfig.load("sd15"), 520));
        assertTrue(sd15.getMessage().contains("multiple of 64 px"), sd15.getMessage());
        assertEquals(64, UNetGraph.latentSize(UNetConfig.load("sd15"), 512));
    }
}
