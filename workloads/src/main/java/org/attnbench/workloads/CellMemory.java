package org.attnbench.workloads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.attnbench.backend.Device;
import org.attnbench.metrics.cost.MemoryEstimate;
import org.attnbench.store.Machine;

/**
 * Cells too big for their device, found before anything runs: each cell's graphs are built with
 * shapes only (no weights made) and their {@link MemoryEstimate} compared with the device's memory.
 * A denoising cell counts its weights once (every graph of a model shares them) and the largest
 * activations of the graphs its schedule runs; a cell that samples prompts needs the larger of that
 * and its prompts' encoding (run before it, in a process of its own).
 */
public final class CellMemory {
    private static final double GB = 1e9;
    private final Map<String, MemoryEstimate> byGraph = new HashMap<>();
    private final Map<Device, Long> capacity = new HashMap<>();

    /** One line per cell that cannot fit, naming its estimate, what dominates it, and the fix. */
    public List<String> problems(List<Cell> cells) {
        return problems(cells, c -> null);
    }

    /**
     * As {@link #problems(List)}, where {@code encoding} gives the estimate of encoding a cell's prompts
     * (or null): that runs on the host in a process of its own, ended before the cell reads its
     * denoiser, so each must fit alone (on the CPU the run needs the larger of the two, not their sum).
     */
    public List<String> problems(List<Cell> cells, Function<Cell, MemoryEstimate> encoding) {
        List<String> out = new ArrayList<>();
        for (Cell cell : cells) {
            if (cell.point() instanceof Point.Ceiling) continue;
            long available = capacity.computeIfAbsent(cell.device(), CellMemory::deviceBytes);
            if (available <= 0) continue;
            MemoryEstimate prompts = encoding.apply(cell);
            long host = capacity.computeIfAbsent(Device.CPU, CellMemory::deviceBytes); // prompts are encoded on the CPU
            if (prompts != null && host > 0 && prompts.totalBytes() > host) {
                out.add(String.format(Locale.ROOT, "encoding the prompts of %s needs at least %.1f GB (its largest text encoder's"
                        + " weights %.1f GB, activations %.1f GB) but the host has %.1f GB: encode them on a machine with more"
                        + " memory, or lower max_sequence_length", cell.label(), prompts.totalBytes() / GB,
                        prompts.weightBytes() / GB, prompts.peakActivationBytes() / GB, host / GB));
            }
            MemoryEstimate e = estimate(cell);
            if (e.totalBytes() <= available) continue;
            String fix = e.weightBytes() > available
                    ? "its weights alone do not fit: run it on a device with more memory (float16 weights, dtypes: [fp16], halve them)"
                            + " or exclude the cell"
                    : "use a fused kernel (kernel=fused) or query slices (slice=N), a smaller size or batch, or exclude the cell";
            out.add(String.format(Locale.ROOT, "%s needs at least %.1f GB (weights %.1f GB, activations %.1f GB, the largest"
                    + " '%s' %.1f GB) but %s has %.1f GB: %s", cell.label(), e.totalBytes() / GB, e.weightBytes() / GB,
                    e.peakActivationBytes() / GB, e.largestValue(), e.largestValueBytes() / GB, cell.device(), available / GB, fix));
        }
        return out;
    }

    /** The cell's weights plus the largest activations among the graphs it runs. */
    MemoryEstimate estimate(Cell cell) {
        MemoryEstimate worst = null;
        for (CellGraphs.Graph g : CellGraphs.of(cell)) {
            MemoryEstimate e = byGraph.computeIfAbsent(g.key(), k -> MemoryEstimate.of(g.build().get().proto()));
            if (worst == null || e.peakActivationBytes() > worst.peakActivationBytes()) worst = e;
        }
        return worst;
    }

    /** Host memory for the CPU, the GPU's own for a CUDA device; 0 when unknown (then nothing is refused). */
    private static long deviceBytes(Device device) {
        Machine m = Machine.current();
        if (!device.isCuda()) return (long) (m.memoryGb() * 1024 * 1024 * 1024);
        return m.gpus().stream().filter(g -> g.index() == device.index()).findFirst()
                .map(g -> (long) (g.memoryMb() * 1024 * 1024)).orElse(0L);
    }
}
