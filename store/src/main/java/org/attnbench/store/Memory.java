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
 * @param keptMb the most a cross-step method kept across the steps of an image at once, MiB (part of
 *     the peaks above); 0 for a loop that keeps nothing, NaN for other workloads (and rows written before)
 */
public record Memory(double peakRssMb, double heapPeakMb, double devicePeakMb, double deviceBaselineMb,
        String deviceSource, Double keptMb) {
    public Memory {
        keptMb = keptMb == null ? Double.NaN : keptMb; // absent in rows written before
    }

    public static final Memory NONE = new Memory(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "not measured");

    /** Memory without a record of what a method kept. */
    public Memory(double peakRssMb, double heapPeakMb, double devicePeakMb, double deviceBaselineMb, String deviceSource) {
        this(peakRssMb, heapPeakMb, devicePeakMb, deviceBaselineMb, deviceSource, Double.NaN);
    }
}
