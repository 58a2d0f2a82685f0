package org.attnbench.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AutoencoderKL configs as diffusers saves them: every key known, unknown ones refused by name. */
class VaeConfigTest {
    /** SD 1.5's VAE config as diffusers 0.26 saves it: every key AutoencoderKL writes. */
    static final String SD = """
            {"_class_name": "AutoencoderKL", "_diffusers_version": "0.26.3", "act_fn": "silu",
             "block_out_channels": [128, 256, 512, 512],
             "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
             "force_upcast": true, "in_channels": 3, "latent_channels": 4, "layers_per_block": 2, "norm_num_groups": 32,
             "out_channels": 3, "sample_size": 512, "scaling_factor": 0.18215,
             "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]}""";

    @TempDir
    Path dir;

    private VaeConfig read(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return VaeConfig.read(file);
    }

    @Test
    void readsDiffusersSavedConfigs() throws Exception {
        VaeConfig sd = read(SD);
        assertEquals(8, sd.upsampling());
        assertEquals(0.18215, sd.scalingFactor());
        assertNull(sd.latentsMean());
        // Keys later diffusers versions write, at their defaults, and a pipeline's per-channel statistics.
        VaeConfig later = read(SD.replace("\"act_fn\"", "\"shift_factor\": null, \"use_quant_conv\": true, "
                + "\"use_post_quant_conv\": true, \"mid_block_add_attention\": true, \"latents_mean\": [0.1, 0.2, 0.3, 0.4], "
                + "\"latents_std\": [1, 2, 3, 4], \"act_fn\""));
        assertArrayEquals(new double[] {1, 2, 3, 4}, later.latentsStd());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"act_fn\": \"silu\"     | \"act_fn\": \"silu\", \"magic\": 1      | unknown key 'magic'",
        "\"act_fn\": \"silu\"     | \"act_fn\": \"gelu\"                  | act_fn \"gelu\" is not implemented",
        "\"act_fn\": \"silu\"     | \"act_fn\": \"silu\", \"latents_mean\": [0, 0, 0, 0] | latents_mean and latents_std come together",
        "\"act_fn\": \"silu\"     | \"act_fn\": \"silu\", \"latents_mean\": [0], \"latents_std\": [1] | one value per latent channel (4)",
    })
    void refusesWhatItDoesNotImplementByName(String from, String to, String message) {
        UserError e = assertThrows(UserError.class, () -> read(SD.replace(from, to)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
