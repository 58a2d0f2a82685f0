package org.attnbench.store;

/**
 * Memory of a cell; each figure NaN when it was not measured.
 *
 * @param peakRssMb peak resident memory of the process that ran the cell (VmHWM, reset before the
 *     cell's graph was built), MiB: JVM, native libraries and host tensors together
 * @param heapPeakMb peak used Java heap over that process's memory pools, MiB
 * @param devicePeakMb peak device memory in use while the cell ran, MiB, sampled over the window
 * @param deviceBaselineMb device memory in use before the cell started, MiB
 * @param deviceSource how device memory was read (e.g. NVML through nvidia-smi), or why not
 */
public record Memory(double peakRssMb, double heapPeakMb, double devicePeakMb, double deviceBaselineMb,
        String deviceSource) {
    public static final Memory NONE = new Memory(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "not measured");
}
