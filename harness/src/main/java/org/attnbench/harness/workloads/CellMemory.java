package org.attnbench.harness.workloads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.attnbench.backend.Device;
import org.attnbench.graph.OnnxModel;
import org.attnbench.harness.config.Cell;
import org.attnbench.harness.config.Point;
import org.attnbench.metrics.cost.MemoryEstimate;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.UNetPatch;
import org.attnbench.store.Machine;

/**
 * Cells too big for their device, found before anything runs: each cell's graphs are built with
 * shapes only (no weights made) and their {@link MemoryEstimate} compared with the device's memory.
 * A UNet cell counts its weights once (every graph of a model shares them) and the largest
 * activations of the graphs its schedule runs.
 */
public final class CellMemory {
    private static final double GB = 1e9;
    private final Map<String, MemoryEstimate> byGraph = new HashMap<>();
    private final Map<Device, Long> capacity = new HashMap<>();

    /** One line per cell that cannot fit, naming its estimate, what dominates it, and the fix. */
    public List<String> problems(List<Cell> cells) {
        List<String> out = new ArrayList<>();
        for (Cell cell : cells) {
            if (cell.point() instanceof Point.Ceiling) continue;
            long available = capacity.computeIfAbsent(cell.device(), CellMemory::deviceBytes);
            if (available <= 0) continue;
            MemoryEstimate e = estimate(cell);
            if (e.totalBytes() <= available) continue;
            out.add(String.format(Locale.ROOT, "%s needs at least %.1f GB (weights %.1f GB, activations %.1f GB, the largest"
                    + " '%s' %.1f GB) but %s has %.1f GB: use a fused kernel (kernel=fused) or query slices (slice=N), a"
                    + " smaller size or batch, or exclude the cell", cell.label(), e.totalBytes() / GB, e.weightBytes() / GB,
                    e.peakActivationBytes() / GB, e.largestValue(), e.largestValueBytes() / GB, cell.device(), available / GB));
        }
        return out;
    }

    /** The cell's weights plus the largest activations among the graphs it runs. */
    MemoryEstimate estimate(Cell cell) {
        MemoryEstimate worst = null;
        for (Map.Entry<String, Supplier<OnnxModel>> g : graphs(cell).entrySet()) {
            MemoryEstimate e = byGraph.computeIfAbsent(g.getKey(), k -> MemoryEstimate.of(g.getValue().get().proto()));
            if (worst == null || e.peakActivationBytes() > worst.peakActivationBytes()) worst = e;
        }
        return worst;
    }

    /** The distinct graphs a cell runs, by a key that names them across cells and backends. */
    private static Map<String, Supplier<OnnxModel>> graphs(Cell cell) {
        Map<String, Supplier<OnnxModel>> out = new LinkedHashMap<>();
        if (cell.point() instanceof Point.Attention a) {
            out.put(a.describe() + "|" + cell.variant().canonical(), () -> AttentionBlock.build(a.shape(), cell.variant(),
                    BlockWeights.random(0, a.shape().channels())));
            return out;
        }
        Point.UNet u = (Point.UNet) cell.point();
        var w = u.workload();
        UNetConfig config = UNetConfig.load(w.model());
        int batch = w.guidance() > 1 ? 2 : 1;
        Scheduler scheduler = Scheduler.of(w.scheduler(), w.steps());
        Set<UNetPatch> patches = new LinkedHashSet<>();
        for (int i = 0; i < scheduler.steps(); i++) patches.add(UNetPatch.of(cell.variant()).atTimestep(scheduler.timestep(i)));
        for (UNetPatch p : patches) {
            out.put(w.model() + "|" + u.resolution() + "|b" + batch + "|" + p.describe(),
                    () -> UNetGraph.build(config, u.resolution(), batch, p, null));
        }
        return out;
    }

    /** Host memory for the CPU, the GPU's own for a CUDA device; 0 when unknown (then nothing is refused). */
    private static long deviceBytes(Device device) {
        Machine m = Machine.current();
        if (!device.isCuda()) return (long) (m.memoryGb() * 1024 * 1024 * 1024);
        return m.gpus().stream().filter(g -> g.index() == device.index()).findFirst()
                .map(g -> (long) (g.memoryMb() * 1024 * 1024)).orElse(0L);
    }
}
