package org.attnbench.workloads;

import java.util.Map;
import org.attnbench.backend.Device;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.methods.Variant;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.DType;

/**
 * One measurement of a sweep: a variant (or a ceiling) at one point of a workload on one backend,
 * device and dtype.
 *
 * @param id deterministic id: the same cell has the same id in every run of every config
 * @param group the backend, device, dtype and point it shares with its reference (shards never split a group)
 * @param variant the variant, null for a ceiling
 * @param referenceId the cell it is compared with, or null
 */
public record Cell(String id, String group, String backend, Device device, DType dtype, Point point, Variant variant,
        String referenceId) {

    public static String id(String group, Variant variant) {
        return group + "|" + (variant == null ? "-" : variant.canonical());
    }

    public static String group(String backend, Device device, DType dtype, Point point) {
        return backend + "|" + device + "|" + dtype.name().toLowerCase() + "|" + point.describe();
    }

    public boolean isCeiling() {
        return point instanceof Point.Ceiling;
    }

    public String variantName() {
        return variant == null ? ((Point.Ceiling) point).name() : variant.canonical();
    }

    public String family() {
        return variant == null ? ((Point.Ceiling) point).name() : variant.family();
    }

    public String kernel() {
        if (variant == null) return "-";
        Kernel k = variant.kernel();
        return k.slice() > 0 ? "slice=" + k.slice() : k.name();
    }

    public String model() {
        if (point instanceof Point.Denoising u) return u.workload().modelName();
        if (point instanceof Point.Ceiling c) return c.name();
        Point.Attention a = (Point.Attention) point;
        return "attention-c" + a.workload().channels() + "h" + a.workload().heads();
    }

    /** The diffusers class of a denoising loop's model, null for other workloads. */
    public String modelClass() {
        return point instanceof Point.Denoising u ? u.workload().denoiser().modelClass() : null;
    }

    /** The values exclude rules match against. */
    public Map<String, String> matchKeys() {
        return Map.of("backend", backend, "device", device.toString(), "dtype", dtype.name().toLowerCase(),
                "workload", point.kind().toString(), "grid", writtenGrid(), "resolution", writtenResolution(),
                "model", model(), "variant", variant == null ? "-" : variant.canonical(), "family", family(), "kernel", kernel());
    }

    private String writtenGrid() {
        if (point instanceof Point.Denoising u) {
            return u.written().height() / DenoiserIO.VAE_FACTOR + "x" + u.written().width() / DenoiserIO.VAE_FACTOR;
        }
        return point.writtenSize();
    }

    private String writtenResolution() {
        if (point instanceof Point.Attention a) {
            return String.valueOf(AttentionShape.parseGrid(a.written())[0] * DenoiserIO.VAE_FACTOR);
        }
        return point.writtenSize();
    }

    /** One line for progress and logs: "djl cpu float32 attention 64x64 todo:factor=2,...". */
    public String label() {
        String where = point instanceof Point.Denoising u ? u.workload().modelName() + " " + u.resolution() + "px"
                : point.kind() + (point instanceof Point.Ceiling ? "" : " " + point.grid());
        return backend + " " + device + " " + dtype.name().toLowerCase() + " " + where + " " + variantName();
    }
}
