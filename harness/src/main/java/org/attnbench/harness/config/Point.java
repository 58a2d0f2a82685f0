package org.attnbench.harness.config;

import java.util.Locale;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.unet.UNetGraph;

/** One size of a workload: an attention block at one grid, a UNet at one resolution, or a machine ceiling. */
public sealed interface Point {
    /** Stable text naming the point in cell ids. */
    String describe();

    String kind();

    /** Latent grid at full resolution, HxW. */
    String grid();

    int resolutionPx();

    /** Tokens at full latent resolution. */
    long tokens();

    record Attention(Workload.Attention workload, String grid) implements Point {
        public AttentionShape shape() {
            int[] hw = AttentionShape.parseGrid(grid);
            return new AttentionShape(workload.batch(), hw[0], hw[1], workload.channels(), workload.heads());
        }

        public String describe() {
            return String.format(Locale.ROOT, "attention:%s,c%d,h%d,b%d,%s", grid, workload.channels(), workload.heads(),
                    workload.batch(), workload.inputs());
        }

        public String kind() {
            return "attention";
        }

        public int resolutionPx() {
            return AttentionShape.parseGrid(grid)[0] * UNetGraph.VAE_FACTOR;
        }

        public long tokens() {
            return shape().tokens();
        }
    }

    record UNet(Workload.UNet workload, int resolution) implements Point {
        public String describe() {
            String weights = workload.weights() == null ? "random" : workload.weights().getFileName().toString();
            String vae = workload.vae() == null ? "" : ",vae=" + workload.vae().getFileName();
            return String.format(Locale.ROOT, "unet:%s,%dpx,%s,%dsteps,g%s,%s%s", workload.model(), resolution,
                    workload.scheduler(), workload.steps(), workload.guidance(), weights, vae);
        }

        public String kind() {
            return "unet";
        }

        public String grid() {
            int latent = resolution / UNetGraph.VAE_FACTOR;
            return latent + "x" + latent;
        }

        public int resolutionPx() {
            return resolution;
        }

        public long tokens() {
            long latent = resolution / UNetGraph.VAE_FACTOR;
            return latent * latent;
        }
    }

    /** The machine's limit on a backend and device: a large GEMM (compute) or a large copy (bandwidth). */
    record Ceiling(String name) implements Point {
        public static final Ceiling GEMM = new Ceiling("gemm");
        public static final Ceiling COPY = new Ceiling("copy");

        public String describe() {
            return "ceiling:" + name;
        }

        public String kind() {
            return "ceiling";
        }

        public String grid() {
            return "-";
        }

        public int resolutionPx() {
            return 0;
        }

        public long tokens() {
            return 0;
        }
    }
}
