package org.attnbench.store;

/**
 * Memory of a cell; each figure NaN when it was not measured.
 *
 * @param peakRssMb peak resident memory of the process that ran the cell while it was timed (VmHWM,
 *     reset when the measured iterations began, after build, compile and warm-up), MiB: JVM,
 *     native libraries, resident weights and every intermediate together
 * @param heapPeakMb peak used Java heap over that process's memory pools while timed, MiB
 * @param devicePeakMb peak device memory in use while the cell was timed, MiB, sampled over the window
 * @param deviceBaselineMb device memory in use when sampling began (before the cell's graph was built), MiB
 * @param deviceSource how device memory was read (e.g. NVML through nvidia-smi), or why not
 */
public record Memory(double peakRssMb, double heapPeakMb, double devicePeakMb, double deviceBaselineMb,
        String deviceSource) {
    public static final Memory NONE = new Memory(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "not measured");
}
