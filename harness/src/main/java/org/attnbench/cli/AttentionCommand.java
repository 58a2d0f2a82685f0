package org.attnbench.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.attnbench.core.UserError;
import org.attnbench.metrics.memory.PeakRss;
import org.attnbench.metrics.timing.Samples;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.methods.Variant;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.AttentionWorkload;
import org.attnbench.workloads.CellSkipped;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one self-attention sub-block with one variant; optionally times it. */
@Command(name = "attention", mixinStandardHelpOptions = true,
        description = "Run the self-attention sub-block of a transformer block with one variant "
                + "(input and output tensor 'hidden_states' [B, N, C]).")
final class AttentionCommand implements Callable<Integer> {
    static final String TENSOR = "hidden_states";

    @Mixin
    VariantOption variant;

    @Option(names = "--grid", required = true, paramLabel = "HxW", description = "Latent grid, e.g. 64x64 (N = H*W tokens).")
    String grid;

    @Option(names = "--channels", required = true, paramLabel = "C", description = "Channels (SD 1.5 level 1: 320).")
    int channels;

    @Option(names = "--heads", required = true, paramLabel = "H", description = "Attention heads (SD 1.5: 8).")
    int heads;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    BackendOptions target;

    @Option(names = "--weights", paramLabel = "W.safetensors", description = "Block weights by diffusers names; seeded random when absent.")
    Path weights;

    @Option(names = "--input", paramLabel = "X.safetensors", description = "Input tensor 'hidden_states'; seeded Gaussian when absent.")
    Path input;

    @Option(names = "--output", paramLabel = "Y.safetensors", description = "Write the output tensor 'hidden_states' here.")
    Path output;

    @Mixin
    SeedOption seed;

    @Option(names = "--repeat", paramLabel = "R",
            description = "Warm up, time R runs (1 or more) and print 'median_ms: VALUE' last; without it the block runs once, untimed.")
    Integer repeat;

    @Override
    public Integer call() {
        int[] hw = AttentionShape.parseGrid(grid);
        AttentionShape shape = new AttentionShape(batch, hw[0], hw[1], channels, heads);
        Variant spec = variant.spec();
        Map<String, HostTensor> w = weights == null ? BlockWeights.random(seed.seed, channels) : Safetensors.read(weights);
        HostTensor x = input == null ? BlockInputs.gaussian(seed.seed + 1, shape) : readInput(shape);
        var backend = target.backend();
        int runs = repeat == null ? 0 : repeat;
        int warmup = runs == 0 ? 0 : Math.max(2, runs / 5);
        double[] millis = new double[Math.max(1, runs)];
        HostTensor out;
        try (AttentionWorkload block = AttentionWorkload.of(shape, spec, w, x, backend, target.device(backend))) {
            for (int i = 0; i < warmup; i++) block.runOnce();
            for (int i = 0; i < millis.length; i++) {
                long t0 = System.nanoTime();
                block.runOnce();
                millis[i] = (System.nanoTime() - t0) / 1e6;
            }
            out = block.output(0);
        } catch (CellSkipped e) {
            throw new UserError(e.getMessage());
        }
        Samples samples = new Samples(millis);
        if (output != null) Safetensors.write(output, Map.of(TENSOR, out));
        System.out.println("variant: " + spec.canonical());
        System.out.println("shape: " + Arrays.toString(out.shape()));
        if (output != null) System.out.println("output: " + output);
        if (runs > 0) {
            System.out.printf(Locale.ROOT, "peak_rss_mb: %.0f%n", PeakRss.megabytes());
            System.out.printf(Locale.ROOT, "p90_ms: %.3f%n", samples.percentile(90));
            System.out.printf(Locale.ROOT, "median_ms: %.3f%n", samples.median());
        }
        return 0;
    }

    private HostTensor readInput(AttentionShape shape) {
        Map<String, HostTensor> tensors = Safetensors.read(input);
        HostTensor t = tensors.get(TENSOR);
        if (t == null) {
            throw new UserError(input + " has no tensor '" + TENSOR + "' (it has " + String.join(", ", tensors.keySet()) + ")");
        }
        long[] want = {shape.batch(), shape.tokens(), shape.channels()};
        if (!Arrays.equals(t.shape(), want)) {
            throw new UserError("input '" + TENSOR + "' has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(want) + " for --batch " + shape.batch() + " --grid " + grid + " --channels " + shape.channels());
        }
        return t.toDType(org.attnbench.tensor.DType.FLOAT32);
    }
}
