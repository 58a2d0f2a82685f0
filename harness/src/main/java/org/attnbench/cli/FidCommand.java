package org.attnbench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.attnbench.core.UserError;
import org.attnbench.metrics.features.FrechetDistance;
import org.attnbench.metrics.features.KernelInceptionDistance;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Frechet distance and KID between two feature files. */
@Command(name = "fid", mixinStandardHelpOptions = true,
        description = "FID-like score (Frechet distance) and KID between two feature sets: tensor 'features' [N, D] in each file. "
                + "Only features of the standard FID Inception make the score comparable with published FID.")
final class FidCommand implements Callable<Integer> {
    static final String TENSOR = "features";

    @Option(names = "--features-a", required = true, paramLabel = "A.safetensors")
    Path featuresA;

    @Option(names = "--features-b", required = true, paramLabel = "B.safetensors")
    Path featuresB;

    @Option(names = "--kid-subsets", defaultValue = "100", description = "KID subsets (default ${DEFAULT-VALUE}).")
    int kidSubsets;

    @Option(names = "--kid-subset-size", defaultValue = "1000",
            description = "Rows per KID subset (default ${DEFAULT-VALUE}, capped at the smaller set).")
    int kidSubsetSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the KID subsets (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        double[][] a = read(featuresA);
        double[][] b = read(featuresB);
        double fid = FrechetDistance.between(a, b);
        int size = Math.min(kidSubsetSize, Math.min(a.length, b.length));
        KernelInceptionDistance.Result kid = KernelInceptionDistance.between(a, b, kidSubsets, size, seed);
        System.out.printf(Locale.ROOT, "fid: %.6f%n", fid);
        System.out.printf(Locale.ROOT, "kid: %.6e +- %.6e%n", kid.mean(), kid.std());
        return 0;
    }

    private static double[][] read(Path file) {
        Map<String, HostTensor> tensors = Safetensors.read(file);
        HostTensor t = tensors.get(TENSOR);
        if (t == null) throw new UserError(file + " has no tensor '" + TENSOR + "' (it has " + String.join(", ", tensors.keySet()) + ")");
        if (t.rank() != 2) throw new UserError(file + ": '" + TENSOR + "' must be [N, D], got " + java.util.Arrays.toString(t.shape()));
        int n = (int) t.shape()[0];
        int d = (int) t.shape()[1];
        double[] flat = t.toDoubles();
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, rows[i], 0, d);
        return rows;
    }
}
