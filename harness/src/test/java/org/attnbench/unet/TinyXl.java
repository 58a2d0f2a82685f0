package org.attnbench.unet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.models.unet.UNetConfig;

/** The tiny UNet with SDXL's text_time conditioning (pooled text 32 wide, time ids 8 wide each). */
final class TinyXl {
    private TinyXl() {}

    static UNetConfig config(Path dir) {
        try (var in = UNetConfig.class.getResourceAsStream("/unet/tiny.json")) {
            String tiny = new String(in.readAllBytes());
            Path file = dir.resolve("tiny-xl.json");
            Files.writeString(file, tiny.replace("\"act_fn\": \"silu\",", "\"act_fn\": \"silu\", \"addition_embed_type\": "
                    + "\"text_time\", \"addition_time_embed_dim\": 8, \"projection_class_embeddings_input_dim\": 80,"));
            return UNetConfig.load(file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
