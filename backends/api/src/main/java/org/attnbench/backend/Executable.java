package org.attnbench.backend;

import java.util.List;
import java.util.Map;
import org.attnbench.tensor.HostTensor;

/**
 * A graph compiled for one device. Weights stay resident on the device between runs; a run
 * copies its inputs in and its outputs out, and nothing else on the host.
 */
public interface Executable extends AutoCloseable {
    /** Graph input names, in graph order, initializers excluded. */
    List<String> inputNames();

    /** Graph output names, in graph order. */
    List<String> outputNames();

    /** Runs the graph. Inputs are checked by name, dtype and shape before anything runs. */
    Map<String, HostTensor> run(Map<String, HostTensor> inputs);

    /**
     * Runs the graph once more and returns each node's time in milliseconds, by node name (nodes
     * a runtime fuses are timed under the name it gives them). Needs an executable compiled with
     * {@link CompileOptions#profiling()}; ONNX Runtime allows it once per executable, ending its
     * profiler there.
     */
    Map<String, Double> profile(Map<String, HostTensor> inputs);

    /** The settings the backend actually used (threads, optimization level, providers...). */
    Map<String, String> settings();

    @Override
    void close();
}
