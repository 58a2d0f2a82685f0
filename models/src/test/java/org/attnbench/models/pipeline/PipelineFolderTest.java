package org.attnbench.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineFolderTest {
    private static final String SDXL_INDEX = """
            {"_class_name": "StableDiffusionXLPipeline", "_diffusers_version": "0.40.0",
             "feature_extractor": [null, null],
             "scheduler": ["diffusers", "EulerDiscreteScheduler"],
             "text_encoder": ["transformers", "CLIPTextModel"],
             "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
             "tokenizer": ["transformers", "CLIPTokenizer"], "tokenizer_2": ["transformers", "CLIPTokenizer"],
             "unet": ["diffusers", "UNet2DConditionModel"], "vae": ["diffusers", "AutoencoderKL"]%s}
            """;

    @TempDir
    Path dir;

    private Path pipeline(String extra, String... components) throws IOException {
        Files.writeString(dir.resolve(PipelineFolder.INDEX), SDXL_INDEX.formatted(extra));
        for (String c : components) Files.createDirectories(dir.resolve(c));
        return dir;
    }

    @Test
    void readsClassComponentsAndTheirClasses() throws IOException {
        PipelineFolder folder = PipelineFolder.open(pipeline("", "unet", "vae", "text_encoder", "text_encoder_2"));
        assertEquals("StableDiffusionXLPipeline", folder.pipelineClass());
        assertEquals("unet", folder.denoiser());
        assertEquals(List.of("text_encoder", "text_encoder_2"), folder.textEncoders());
        assertEquals(List.of("tokenizer", "tokenizer_2"), folder.tokenizers());
        assertEquals("CLIPTextModelWithProjection", folder.componentClass("text_encoder_2"));
        assertEquals(dir.resolve("vae"), folder.component("vae"));
        Files.createDirectories(dir.resolve("scheduler"));
        Files.writeString(dir.resolve("scheduler/scheduler_config.json"), "{}");
        assertEquals(dir.resolve("scheduler/scheduler_config.json"), folder.schedulerConfig());
        assertTrue(folder.forceZerosForEmptyPrompt(), "true when model_index.json does not say");
        assertFalse(folder.has("feature_extractor"), "[null, null] is an absent component");
        assertEquals(List.of("scheduler", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "unet", "vae"),
                folder.components());
    }

    @Test
    void readsForceZerosForEmptyPrompt() throws IOException {
        assertFalse(PipelineFolder.open(pipeline(", \"force_zeros_for_empty_prompt\": false")).forceZerosForEmptyPrompt());
        Files.writeString(dir.resolve(PipelineFolder.INDEX), SDXL_INDEX.formatted(", \"force_zeros_for_empty_prompt\": 1"));
        UserError e = assertThrows(UserError.class, () -> PipelineFolder.open(dir));
        assertTrue(e.getMessage().contains("force_zeros_for_empty_prompt must be true or false"), e.getMessage());
    }

    @Test
    void refusesAnUnsupportedPipelineClassByName() throws IOException {
        Files.writeString(dir.resolve(PipelineFolder.INDEX), "{\"_class_name\": \"KandinskyPipeline\"}");
        UserError e = assertThrows(UserError.class, () -> PipelineFolder.open(dir));
        assertTrue(e.getMessage().contains("pipeline class 'KandinskyPipeline' is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("FluxPipeline"), "names what is supported: " + e.getMessage());
    }

    @Test
    void refusesAFolderWithoutAnIndex() {
        UserError e = assertThrows(UserError.class, () -> PipelineFolder.open(dir));
        assertTrue(e.getMessage().contains("is not a diffusers pipeline folder: it has no model_index.json"), e.getMessage());
    }

    @Test
    void refusesAMissingAbsentOrUnsupportedComponentByName() throws IOException {
        PipelineFolder folder = PipelineFolder.open(pipeline("", "text_encoder"));
        UserError missing = assertThrows(UserError.class, () -> folder.require(List.of("text_encoder", "text_encoder_2")));
        assertTrue(missing.getMessage().contains("lacks its component folder text_encoder_2/"), missing.getMessage());
        UserError absent = assertThrows(UserError.class, () -> folder.component("feature_extractor"));
        assertTrue(absent.getMessage().contains("lists component 'feature_extractor' as absent"), absent.getMessage());
        UserError unlisted = assertThrows(UserError.class, () -> folder.component("text_encoder_3"));
        assertTrue(unlisted.getMessage().contains("lists no component 'text_encoder_3'"), unlisted.getMessage());

        Files.writeString(dir.resolve(PipelineFolder.INDEX), SDXL_INDEX.formatted("").replace("AutoencoderKL", "AutoencoderTiny"));
        Files.createDirectories(dir.resolve("vae"));
        UserError unsupported = assertThrows(UserError.class, () -> PipelineFolder.open(dir).component("vae"));
        assertTrue(unsupported.getMessage().contains("component vae of " + dir + " is of class AutoencoderTiny, which attnbench does not load"),
                unsupported.getMessage());
    }

    @Test
    void refusesAMalformedComponentEntry() throws IOException {
        Files.writeString(dir.resolve(PipelineFolder.INDEX), "{\"_class_name\": \"FluxPipeline\", \"vae\": [\"diffusers\"]}");
        UserError e = assertThrows(UserError.class, () -> PipelineFolder.open(dir));
        assertTrue(e.getMessage().contains("component 'vae' must be [library, class] or [null, null]"), e.getMessage());
    }

    @Test
    void findsWeightsPlainVariantFp16OnlyAndSharded() throws IOException {
        PipelineFolder folder = PipelineFolder.open(pipeline("", "unet", "vae", "text_encoder", "text_encoder_2"));
        write(dir.resolve("unet/diffusion_pytorch_model.safetensors"));
        write(dir.resolve("unet/diffusion_pytorch_model.fp16.safetensors"));
        assertEquals(dir.resolve("unet/diffusion_pytorch_model.safetensors"), folder.weights("unet"));
        assertEquals(dir.resolve("unet/diffusion_pytorch_model.fp16.safetensors"),
                PipelineFolder.open(dir, "fp16").weights("unet"));

        write(dir.resolve("vae/diffusion_pytorch_model.fp16.safetensors"));
        assertEquals(dir.resolve("vae/diffusion_pytorch_model.fp16.safetensors"), folder.weights("vae"),
                "a folder holding only fp16 files loads them without being told");
        try (SafetensorsWeights w = SafetensorsWeights.open(dir.resolve("vae"))) {
            assertEquals(DType.FLOAT16, w.tensor("w").orElseThrow().dtype());
        }

        Files.writeString(dir.resolve("text_encoder/model.safetensors.index.fp16.json"),
                "{\"weight_map\": {\"w\": \"model.fp16-00001-of-00001.safetensors\"}}");
        write(dir.resolve("text_encoder/model.fp16-00001-of-00001.safetensors"));
        assertEquals(dir.resolve("text_encoder/model.safetensors.index.fp16.json"), folder.weights("text_encoder"),
                "a shard's name is no variant; the fp16 index is");
        try (SafetensorsWeights w = SafetensorsWeights.open(folder.weights("text_encoder"))) {
            assertTrue(w.tensor("w").isPresent());
        }

        UserError noVariant = assertThrows(UserError.class, () -> PipelineFolder.open(dir, "bf16").weights("unet"));
        assertTrue(noVariant.getMessage().contains("has no bf16 weights"), noVariant.getMessage());
    }

    @Test
    void refusesAmbiguousVariantsAndPickles() throws IOException {
        PipelineFolder folder = PipelineFolder.open(pipeline("", "unet", "vae"));
        write(dir.resolve("unet/diffusion_pytorch_model.fp16.safetensors"));
        write(dir.resolve("unet/diffusion_pytorch_model.bf16.safetensors"));
        UserError two = assertThrows(UserError.class, () -> folder.weights("unet"));
        assertTrue(two.getMessage().contains("holds only variants bf16, fp16: choose one"), two.getMessage());

        Files.writeString(dir.resolve("vae/diffusion_pytorch_model.bin"), "pickle");
        UserError pickle = assertThrows(UserError.class, () -> folder.weights("vae"));
        assertTrue(pickle.getMessage().contains("are a pickle checkpoint, which can run code when loaded; convert them to safetensors"),
                pickle.getMessage());
        assertThrows(UserError.class, () -> SafetensorsWeights.open(dir.resolve("vae")));
    }

    @Test
    void readsAHuggingFaceCacheSnapshotThroughItsLinks() throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs"));
        Path snapshot = Files.createDirectories(dir.resolve("snapshots/abc123"));
        Files.writeString(blobs.resolve("index"), SDXL_INDEX.formatted(""));
        write(blobs.resolve("weights"));
        Files.createSymbolicLink(snapshot.resolve(PipelineFolder.INDEX), Path.of("../../blobs/index"));
        Files.createDirectories(snapshot.resolve("unet"));
        Files.createSymbolicLink(snapshot.resolve("unet/diffusion_pytorch_model.fp16.safetensors"), Path.of("../../../blobs/weights"));
        PipelineFolder folder = PipelineFolder.open(snapshot);
        Path weights = folder.weights("unet");
        try (SafetensorsWeights w = SafetensorsWeights.open(weights)) {
            assertTrue(w.tensor("w").isPresent());
        }
    }

    @Test
    void followsALinkStoredAsText() throws IOException {
        Path shared = Files.createDirectories(dir.resolve("vocab"));
        Files.writeString(shared.resolve("vocab.json"), "{\"a\": 0}");
        Path tokenizer = Files.createDirectories(dir.resolve("pipe/tokenizer"));
        Files.writeString(tokenizer.resolve("vocab.json"), "../../vocab/vocab.json");
        assertEquals(shared.resolve("vocab.json").toRealPath(), LinkStandIn.resolve(tokenizer.resolve("vocab.json")));
        Path linked = Files.createDirectories(dir.resolve("elsewhere/pipe"));
        Files.createSymbolicLink(linked.resolve("tokenizer"), tokenizer);
        assertEquals(shared.resolve("vocab.json").toRealPath(), LinkStandIn.resolve(linked.resolve("tokenizer/vocab.json")),
                "a folder reached through a link reads its stand-ins where they lie");
        assertEquals(1, JsonFiles.readObject(tokenizer.resolve("vocab.json"), "vocabulary").size());
        Files.writeString(tokenizer.resolve("merges.txt"), "#version: 0.2\na b\n");
        assertEquals(tokenizer.resolve("merges.txt"), LinkStandIn.resolve(tokenizer.resolve("merges.txt")), "a real file is itself");
    }

    private static void write(Path file) {
        SafetensorsWeights.write(file, Map.of("w", HostTensor.of(new float[] {1, 2}, 2).toDType(DType.FLOAT16)));
    }
}
