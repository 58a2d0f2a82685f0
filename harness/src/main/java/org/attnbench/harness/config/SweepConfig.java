package org.attnbench.harness.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Device;
import org.attnbench.methods.Variant;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.tensor.DType;
import org.attnbench.workloads.Workload;

/**
 * A sweep: every backend x device x dtype x workload instance x variant is one cell, less the
 * excluded ones. Read and checked by {@link SweepConfigReader}; the schema is documented in
 * configs/README.md.
 *
 * @param file where it was read from
 * @param text the file's text, verbatim (stored in the run's manifest; its hash identifies the sweep)
 * @param name the sweep's name (results folders and reports)
 * @param description one line for reports, may be empty
 * @param ceilings whether each backend and device's GEMM and copy limits are measured too
 * @param seed seed of inputs and random weights
 * @param outRoot where run folders go by default
 * @param scale the factor grids and resolutions were scaled by when read (1 when not)
 * @param workloadPlaces where each workload is written (file, line, column, key path; no message), in order
 * @param prompts the prompts every denoising cell samples (each workload then names a pipeline), or null
 */
public record SweepConfig(Path file, String text, String name, String description, List<String> backends,
        List<Device> devices, List<DType> dtypes, List<Workload> workloads, List<Variant> variants,
        List<Exclude> excludes, TimingSettings timing, FidelitySettings fidelity, GateSettings gate, boolean ceilings,
        long seed, Path outRoot, double scale, Map<String, Map<String, String>> backendOptions, List<Problem> workloadPlaces,
        PromptSettings prompts) {

    /** A sweep without prompts. */
    public SweepConfig(Path file, String text, String name, String description, List<String> backends,
            List<Device> devices, List<DType> dtypes, List<Workload> workloads, List<Variant> variants,
            List<Exclude> excludes, TimingSettings timing, FidelitySettings fidelity, GateSettings gate, boolean ceilings,
            long seed, Path outRoot, double scale, Map<String, Map<String, String>> backendOptions, List<Problem> workloadPlaces) {
        this(file, text, name, description, backends, devices, dtypes, workloads, variants, excludes, timing, fidelity, gate,
                ceilings, seed, outRoot, scale, backendOptions, workloadPlaces, null);
    }

    public SweepConfig {
        backends = List.copyOf(backends);
        devices = List.copyOf(devices);
        dtypes = List.copyOf(dtypes);
        workloads = List.copyOf(workloads);
        variants = List.copyOf(variants);
        excludes = List.copyOf(excludes);
        backendOptions = Map.copyOf(backendOptions);
        workloadPlaces = List.copyOf(workloadPlaces);
    }

    /** A problem of one workload, located where the workload is written (unlocated if it is not among them). */
    public Problem problemAt(Workload w, String message) {
        int i = workloads.indexOf(w);
        if (i < 0) return Problem.of(file.toString(), message);
        Problem at = workloadPlaces.get(i);
        return new Problem(at.file(), at.line(), at.column(), at.path(), message);
    }

    /** The compile settings a config gives one backend (its {@code backend_options}). */
    public Map<String, String> backendOptions(String backend) {
        return backendOptions.getOrDefault(backend, Map.of());
    }

}
