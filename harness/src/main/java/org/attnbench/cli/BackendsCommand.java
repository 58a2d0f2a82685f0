package org.attnbench.cli;

import java.util.List;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.DeviceStatus;
import picocli.CommandLine.Command;

/**
 * Lists every backend and device, available or with the reason it is not; for a device that lacks
 * installed pieces (CUDA's driver, runtime, cuDNN, libtorch), one indented line each with how to get it.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List backends and devices: availability (or the reason not) and library versions.")
final class BackendsCommand implements Runnable {
    @Override
    public void run() {
        for (Backend backend : Backends.all()) {
            List<DeviceStatus> devices;
            String versions;
            try {
                devices = backend.devices();
                versions = String.join(", ", backend.versions().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).sorted().toList());
            } catch (RuntimeException e) {
                // A backend whose native library fails to load must not hide the others.
                System.out.printf("%-12s %-7s unavailable: %s%n", backend.name(), "-", firstLine(e.getMessage()));
                continue;
            }
            for (DeviceStatus s : devices) {
                String status = s.available() ? "available" : s.missing().isEmpty() ? "unavailable: " + s.reason()
                        : "unavailable: it needs " + s.missing().size() + " thing(s) this machine lacks:";
                System.out.printf("%-12s %-7s %s  %s%n", backend.name(), s.device(), status, versions);
                for (String m : s.missing()) System.out.println("    - " + m);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "failed to load";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
