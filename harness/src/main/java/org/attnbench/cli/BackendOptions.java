package org.attnbench.cli;

import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import picocli.CommandLine.Option;

/** --backend and --device, the same in every command that runs graphs. */
final class BackendOptions {
    @Option(names = "--backend", defaultValue = "onnxruntime", paramLabel = "NAME",
            description = "Backend that runs the graphs: onnxruntime or djl (default ${DEFAULT-VALUE}; see 'attnbench backends').")
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
