package org.attnbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.PromptFile;
import org.attnbench.workloads.text.TextEncoders;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prompts to the tensors a diffusers pipeline hands its denoiser, with the pipeline folder's own tokenizers and text encoders. */
@Command(name = "encode-prompts", mixinStandardHelpOptions = true,
        description = "Encode prompts as a diffusers pipeline folder's encode_prompt does (StableDiffusion, SDXL, SD3, Flux, "
                + "PixArt-alpha/sigma) and write, in the pipelines' names: prompt_embeds and negative_prompt_embeds "
                + "[P, L, D]; pooled_prompt_embeds and negative_pooled_prompt_embeds [P, D'] (SDXL, SD3, Flux); "
                + "prompt_attention_mask and negative_prompt_attention_mask [P, L] (PixArt); input_ids, input_ids_2, "
                + "input_ids_3 [P, max_length], the positive prompts' ids per tokenizer. Float32 embeddings, int64 ids and masks.")
final class EncodePromptsCommand implements Runnable {
    @Option(names = "--pipeline", required = true, paramLabel = "DIR",
            description = "A diffusers pipeline folder (model_index.json at its root; a Hugging Face cache snapshot will do).")
    Path pipeline;

    static final class Prompts {
        @Option(names = "--prompt", required = true, paramLabel = "TEXT",
                description = "A prompt; repeat for more, in order (\"\" is a prompt).")
        List<String> prompts;

        @Option(names = "--prompts", required = true, paramLabel = "FILE",
                description = "A UTF-8 file of prompts, one per line.")
        Path file;

        List<String> list() {
            return file != null ? PromptFile.read(file) : prompts;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompts prompts;

    @Option(names = "--negative-prompt", paramLabel = "TEXT",
            description = "The negative prompt of every prompt (absent: \"\", or zeros for SDXL with force_zeros_for_empty_prompt; "
                    + "given, even as \"\", it is encoded).")
    String negativePrompt;

    @Option(names = "--max-sequence-length", paramLabel = "N",
            description = "T5's prompt length (default: the pipeline's: SD3 256, Flux 512, PixArt-sigma 300, PixArt-alpha 120).")
    Integer maxSequenceLength;

    @Option(names = "--weights-variant", paramLabel = "NAME",
            description = "Weights variant to load, e.g. fp16 (*.fp16.safetensors; default: the plain files, or the one variant a folder holds).")
    String variant;

    @Mixin
    BackendOptions target;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.safetensors", description = "Where to write the tensors.")
    Path output;

    @Override
    public void run() {
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            throw new UserError("-o " + output + " exists and is not a file: name a file to write");
        }
        List<String> texts = prompts.list();
        PipelineFolder folder = PipelineFolder.open(pipeline, variant);
        Backend backend = target.backend();
        Device device = target.device(backend);
        PromptEncoder encoder = PromptEncoder.of(folder, TextEncoders.of(folder, backend, device), maxSequenceLength,
                System.err::println);
        Map<String, HostTensor> tensors = encoder.encode(texts, negativePrompt);
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UserError("cannot create the folder of " + output + ": " + e.getMessage());
        }
        Safetensors.write(output, tensors, Map.of("pipeline", folder.pipelineClass()));
        System.out.println("wrote " + output + " (" + folder.pipelineClass() + ", " + texts.size() + " prompt"
                + (texts.size() == 1 ? "" : "s") + "): " + String.join(", ", tensors.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().dtype() + " " + Arrays.toString(e.getValue().shape())).toList()));
    }
}
