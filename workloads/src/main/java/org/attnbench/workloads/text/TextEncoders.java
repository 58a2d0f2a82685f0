package org.attnbench.workloads.text;

import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Device;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.TextEncoderConfig;

/**
 * Opens a pipeline's text encoders one at a time: a prompt encoder runs each on its prompts and
 * closes it before it opens the next, so only one encoder's weights are held at once.
 */
@FunctionalInterface
public interface TextEncoders {
    String CONFIG = "config.json";

    /** One text encoder, open. */
    interface Session extends AutoCloseable {
        /** The encoder's outputs by name ({@link TextEncoderConfig}'s) for ids [P, L]. */
        Map<String, HostTensor> encode(long[][] ids, long[][] attentionMaskOrNull);

        @Override
        void close();
    }

    /** Opens the text encoder of component {@code name} (text_encoder, text_encoder_2, ...). */
    Session open(String name);

    /** Checks, without loading it, that the encoder can be opened (its config read, its weights found). */
    default void check(String name) {}

    /** The pipeline's own encoders, from each component's config.json and weights, on a backend. */
    static TextEncoders of(PipelineFolder folder, Backend backend, Device device) {
        return new TextEncoders() {
            @Override
            public void check(String name) {
                TextEncoderConfig.read(folder.file(name, CONFIG));
                folder.weights(name);
            }

            @Override
            public Session open(String name) {
                TextEncoderRunner runner = TextEncoderRunner.open(folder.file(name, CONFIG), folder.weights(name), backend, device);
                return new Session() {
                    @Override
                    public Map<String, HostTensor> encode(long[][] ids, long[][] attentionMaskOrNull) {
                        return runner.encode(ids, attentionMaskOrNull);
                    }

                    @Override
                    public void close() {
                        runner.close();
                    }
                };
            }
        };
    }
}
