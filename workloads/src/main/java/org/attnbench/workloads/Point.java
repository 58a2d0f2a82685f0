package org.attnbench.workloads;

import java.util.Locale;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.store.WorkloadKind;

/** One size of a workload: an attention block at one grid, a denoiser at one resolution, or a machine ceiling. */
public sealed interface Point {
    /** Stable text naming the point in cell ids. */
    String describe();

    WorkloadKind kind();

    /** Latent grid at full resolution, HxW. */
    String grid();

    int resolutionPx();

    /** Tokens at full latent resolution. */
    long tokens();

    /** The size as the config writes it, before --scale: exclude rules match it. */
    String writtenSize();

    /** @param grid the grid measured; @param written the grid as the config writes it */
    record Attention(Workload.Attention workload, String grid, String written) implements Point {
        public AttentionShape shape() {
            int[] hw = AttentionShape.parseGrid(grid);
            return new AttentionShape(workload.batch(), hw[0], hw[1], workload.channels(), workload.heads());
        }

        public String describe() {
            return String.format(Locale.ROOT, "attention:%s,c%d,h%d,b%d,%s", grid, workload.channels(), workload.heads(),
                    workload.batch(), workload.inputs());
        }

        public WorkloadKind kind() {
            return WorkloadKind.ATTENTION;
        }

        public int resolutionPx() {
            return AttentionShape.parseGrid(grid)[0] * DenoiserIO.VAE_FACTOR;
        }

        public long tokens() {
            return shape().tokens();
        }

        public String writtenSize() {
            return written;
        }
    }

    /** @param resolution the image size measured; @param written the size as the config writes it */
    record Denoising(Workload.Denoising workload, ImageSize resolution, ImageSize written) implements Point {
        public String describe() {
            // paths as written (normalized): diffusers folders are all called unet or vae, so a name alone would collide
            String blocks = workload.blocks().equals(BlockRange.ALL) ? "" : ",blocks=" + workload.blocks();
            if (workload.pipeline() != null) { // the model, weights and VAE are the folder's
                String variant = workload.weightsVariant() == null ? "" : ",variant=" + workload.weightsVariant();
                String scheduler = workload.scheduler() == null ? "scheduler_config" : workload.scheduler();
                return String.format(Locale.ROOT, "unet:pipeline=%s%s,%spx,%s,%dsteps,g%s%s", workload.pipeline().normalize(),
                        variant, resolution, scheduler, workload.steps(), workload.guidance(), blocks);
            }
            String weights = workload.weights() == null ? "random" : workload.weights().normalize().toString();
            String vae = workload.vae() == null ? "" : ",vae=" + workload.vae().normalize();
            return String.format(Locale.ROOT, "unet:%s,%spx,%s,%dsteps,g%s,%s%s%s", workload.model(), resolution,
                    workload.scheduler(), workload.steps(), workload.guidance(), weights, vae, blocks);
        }

        public WorkloadKind kind() {
            return WorkloadKind.DENOISING;
        }

        public String grid() {
            return resolution.height() / DenoiserIO.VAE_FACTOR + "x" + resolution.width() / DenoiserIO.VAE_FACTOR;
        }

        /** The side; for a non-square image the side of a square of as many pixels, so sizes order by pixels. */
        public int resolutionPx() {
            return resolution.isSquare() ? resolution.width() : (int) Math.round(Math.sqrt(resolution.pixels()));
        }

        public long tokens() {
            return resolution.pixels() / (DenoiserIO.VAE_FACTOR * DenoiserIO.VAE_FACTOR);
        }

        public String writtenSize() {
            return written.toString();
        }
    }

    /** The machine's limit on a backend and device: a large GEMM (compute) or a large copy (bandwidth). */
    record Ceiling(String name) implements Point {
        public static final Ceiling GEMM = new Ceiling("gemm");
        public static final Ceiling COPY = new Ceiling("copy");

        public String describe() {
            return "ceiling:" + name;
        }

        public WorkloadKind kind() {
            return WorkloadKind.CEILING;
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

        public String writtenSize() {
            return "-";
        }
    }
}
