package org.attnbench.harness.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.methods.Variant;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.tensor.DType;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;
import org.attnbench.workloads.Workload;

/**
 * The cells of a sweep, in the order they run: first each backend, device and dtype's ceilings
 * (so every later cell can be set against them), then one group per backend x device x dtype x
 * point, the reference variant first so the others find it done.
 *
 * <p>Each cell's reference: for a token-reduction variant, the reference variant on the same
 * dense kernel when the group has it (does the gain survive a fused or sliced kernel?), else
 * the reference itself; for another dense kernel, the reference. The reference is always run,
 * even when the config does not list it.
 */
public final class CellPlan {
    private final List<Cell> cells;
    private final List<Cell> excluded;
    private final SweepConfig config;

    private CellPlan(SweepConfig config, List<Cell> cells, List<Cell> excluded) {
        this.config = config;
        this.cells = List.copyOf(cells);
        this.excluded = List.copyOf(excluded);
    }

    public static CellPlan of(SweepConfig config) {
        Variant reference = config.fidelity().reference();
        List<Cell> cells = new ArrayList<>();
        List<Cell> excluded = new ArrayList<>();
        if (config.ceilings()) {
            for (String backend : config.backends()) {
                for (Device device : config.devices()) {
                    for (DType dtype : config.dtypes()) {
                        for (Point.Ceiling c : List.of(Point.Ceiling.GEMM, Point.Ceiling.COPY)) {
                            String group = Cell.group(backend, device, dtype, c);
                            cells.add(new Cell(Cell.id(group, null), group, backend, device, dtype, c, null, null));
                        }
                    }
                }
            }
        }
        for (String backend : config.backends()) {
            for (Device device : config.devices()) {
                for (DType dtype : config.dtypes()) {
                    for (Point point : points(config)) {
                        group(config, backend, device, dtype, point, reference, cells, excluded);
                    }
                }
            }
        }
        return new CellPlan(config, cells, excluded);
    }

    private static void group(SweepConfig config, String backend, Device device, DType dtype, Point point,
            Variant reference, List<Cell> cells, List<Cell> excluded) {
        String group = Cell.group(backend, device, dtype, point);
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put(reference.canonical(), reference);
        for (Variant v : config.variants()) variants.putIfAbsent(v.canonical(), v);
        Set<String> kept = new LinkedHashSet<>();
        List<Cell> drafts = new ArrayList<>();
        for (Variant v : variants.values()) {
            Cell c = new Cell(Cell.id(group, v), group, backend, device, dtype, point, v, null);
            if (config.excludes().stream().anyMatch(e -> e.matches(c.matchKeys()))) {
                excluded.add(c);
            } else {
                kept.add(v.canonical());
                drafts.add(c);
            }
        }
        for (Cell c : drafts) {
            Variant ref = referenceOf(c.variant(), reference, kept);
            cells.add(new Cell(c.id(), group, backend, device, dtype, point, c.variant(), ref == null ? null : Cell.id(group, ref)));
        }
    }

    /**
     * A variant's reference among the kept variants, or null: for a method on a kernel other than
     * plain matmul, the reference variant on that kernel where it is kept (a method on the fused
     * kernel against dense on the fused kernel); else the reference variant itself (a method on plain
     * matmul against {@code dense:kernel=fused} when that is the reference, naive dense in the sweep or not).
     */
    static Variant referenceOf(Variant v, Variant reference, Set<String> kept) {
        if (v.canonical().equals(reference.canonical())) return null;
        if (!v.isDense() && !v.kernel().equals(Kernel.MATMUL)) {
            Variant sameKernel = reference.withKernel(v.kernel());
            if (kept.contains(sameKernel.canonical())) return sameKernel;
        }
        return kept.contains(reference.canonical()) ? reference : null;
    }

    /** Every workload's sizes, scaled by {@code --scale}. */
    private static List<Point> points(SweepConfig config) {
        double scale = config.scale();
        List<Point> out = new ArrayList<>();
        for (Workload w : config.workloads()) {
            if (w instanceof Workload.Attention a) {
                a.grids().forEach(g -> out.add(new Point.Attention(a, Scale.grid(g, scale), g)));
            } else if (w instanceof Workload.Denoising u) {
                Denoiser model = u.denoiser();
                u.resolutions().forEach(size -> out.add(new Point.Denoising(u, Scale.resolution(model, size, scale), size)));
            }
        }
        return out;
    }

    public SweepConfig config() {
        return config;
    }

    public List<Cell> cells() {
        return cells;
    }

    /** The cells that are not ceilings. */
    public List<Cell> measured() {
        return cells.stream().filter(c -> !c.isCeiling()).toList();
    }

    /** Ids more than one cell has: a workload or variant listed twice. */
    List<String> repeatedIds() {
        Set<String> seen = new HashSet<>();
        return cells.stream().map(Cell::id).filter(id -> !seen.add(id)).distinct().toList();
    }

    int excludedBy(Exclude e) {
        return (int) excluded.stream().filter(c -> e.matches(c.matchKeys())).count();
    }

    /**
     * Shard {@code index} of {@code count} (1-based): groups are dealt round-robin in plan order,
     * so a variant and its reference always share a shard (and a machine); each shard also
     * measures the ceilings of the backends, devices and dtypes it uses.
     */
    public CellPlan shard(int index, int count) {
        if (count < 1 || index < 1 || index > count) {
            throw new UserError("--shard " + index + "/" + count + " is not I/N with 1 <= I <= N");
        }
        List<String> groups = measured().stream().map(Cell::group).distinct().toList();
        Set<String> mine = new LinkedHashSet<>();
        for (int g = 0; g < groups.size(); g++) {
            if (g % count == index - 1) mine.add(groups.get(g));
        }
        Set<String> targets = new LinkedHashSet<>();
        List<Cell> out = new ArrayList<>();
        for (Cell c : measured()) {
            if (mine.contains(c.group())) targets.add(c.backend() + "|" + c.device() + "|" + c.dtype());
        }
        for (Cell c : cells) {
            boolean take = c.isCeiling() ? targets.contains(c.backend() + "|" + c.device() + "|" + c.dtype())
                    : mine.contains(c.group());
            if (take) out.add(c);
        }
        return new CellPlan(config, out, excluded);
    }
}
