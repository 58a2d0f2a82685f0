package org.attnbench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.models.vae.VaeDecoder;
import org.attnbench.tensor.HostTensor;

/** A tiny AutoencoderKL folder in diffusers' layout (2x upsampling, 8 and 16 channels), for tests. */
public final class TinyVae {
    static final String CONFIG = """
            {"_class_name": "AutoencoderKL", "act_fn": "silu", "block_out_channels": [8, 16],
             "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D"], "in_channels": 3,
             "latent_channels": 4, "layers_per_block": 1, "norm_num_groups": 4, "out_channels": 3,
             "sample_size": 16, "scaling_factor": 0.18215,
             "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D"]}
            """;
    /** The same decoder shaped as SD3's VAE: 16 latent channels, a shift factor, no quant convolutions. */
    public static final String SD3_CONFIG = CONFIG.replace("\"latent_channels\": 4", "\"latent_channels\": 16")
            .replace("\"scaling_factor\": 0.18215", "\"scaling_factor\": 1.5305, \"shift_factor\": 0.0609, "
                    + "\"use_quant_conv\": false, \"use_post_quant_conv\": false");
    /** Seed of the random decoder weights in the file. */
    static final long SEED = 9;

    private TinyVae() {}

    /**
     * Writes config.json and diffusion_pytorch_model.safetensors into dir: the decoder's seeded
     * random weights plus an encoder tensor, as a full AutoencoderKL file would hold.
     */
    public static Path write(Path dir) throws IOException {
        return write(dir, CONFIG);
    }

    /** As {@link #write(Path)}, with another config.json. */
    public static Path write(Path dir, String config) throws IOException {
        Files.writeString(dir.resolve(VaeConfig.FILE), config);
        OnnxModel random = VaeDecoder.build(VaeConfig.read(dir), 1, 1, new RandomWeights(SEED));
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        random.initializers().forEach((name, t) -> {
            if (name.startsWith("decoder.") || name.startsWith("post_quant_conv.")) tensors.put(name, t);
        });
        tensors.put("encoder.conv_in.weight", HostTensor.of(new float[8 * 3 * 9], 8, 3, 3, 3));
        SafetensorsWeights.write(dir.resolve(SafetensorsWeights.FILE), tensors);
        return dir;
    }
}
