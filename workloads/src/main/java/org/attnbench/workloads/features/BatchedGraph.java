package org.attnbench.workloads.features;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Runs a compiled image graph over a list of images in fixed-size batches: each batch is decoded
 * and preprocessed (in parallel), run, and its output rows kept. The graph's batch size is
 * static, so a short last batch is padded with zero images whose rows are dropped.
 */
final class BatchedGraph implements FeatureExtractor {
    private final String name;
    private final String setting;
    private final Executable executable;
    private final String input;
    private final String output;
    private final int batch;
    private final ImagePreprocessing preprocessing;

    BatchedGraph(String name, String setting, Executable executable, String input, String output, int batch,
                 ImagePreprocessing preprocessing) {
        this.name = name;
        this.setting = setting;
        this.executable = executable;
        this.input = input;
        this.output = output;
        this.batch = batch;
        this.preprocessing = preprocessing;
    }

    /**
     * The batch size for n images at most {@code max} at a time, spread evenly over the runs
     * (12 images at most 8 at a time: 2 runs of 6, not 8 + 4 padded to 8).
     */
    static int evenBatch(int n, int max) {
        int runs = (n + max - 1) / max;
        return (n + runs - 1) / runs;
    }

    @Override
    public String name() { return name; }

    @Override
    public String setting() { return setting; }

    @Override
    public HostTensor features(List<Path> images) {
        int size = preprocessing.size();
        int perImage = 3 * size * size;
        List<float[]> rows = new ArrayList<>();
        long dimension = -1;
        for (int start = 0; start < images.size(); start += batch) {
            List<Path> part = images.subList(start, Math.min(images.size(), start + batch));
            float[] pixels = new float[batch * perImage];
            IntStream.range(0, part.size()).parallel().forEach(i -> {
                BufferedImage img = ImageFolder.read(part.get(i));
                preprocessing.fill(img, pixels, i * perImage);
            });
            HostTensor out = run(HostTensor.of(pixels, batch, 3, size, size));
            long d = out.numel() / batch;
            if (dimension < 0) dimension = d;
            float[] flat = out.toFloats();
            for (int i = 0; i < part.size(); i++) {
                float[] row = new float[(int) d];
                System.arraycopy(flat, (int) (i * d), row, 0, (int) d);
                rows.add(row);
            }
        }
        float[] all = new float[Math.toIntExact(rows.size() * dimension)];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, all, (int) (i * dimension), (int) dimension);
        return HostTensor.of(all, rows.size(), dimension);
    }

    private HostTensor run(HostTensor pixels) {
        HostTensor out = executable.run(Map.of(input, pixels)).get(output);
        if (out.rank() < 1 || out.shape()[0] != batch) {
            throw new UserError("output '" + output + "' has shape " + Arrays.toString(out.shape())
                    + "; its first axis must be the batch (" + batch + ")");
        }
        return out.dtype() == DType.FLOAT32 ? out : HostTensor.of(out.toFloats(), out.shape());
    }

    @Override
    public void close() {
        executable.close();
    }
}
