package org.attnbench.cli;

import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import picocli.CommandLine.Option;

/** The --backend and --device options shared by commands that run graphs. */
final class BackendOptions {
    @Option(names = "--backend", required = true, paramLabel = "NAME",
            description = "Backend that runs the graph: djl or onnxruntime (see 'attnbench backends').")
    private String backendName;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    private String deviceName;

    Backend backend() {
        return Backends.byName(backendName);
    }

    /** The device, checked to be usable by the backend (or a one-line reason why not). */
    Device device(Backend backend) {
        Device device = Device.parse(deviceName);
        Backends.requireAvailable(backend, device);
        return device;
    }
}
