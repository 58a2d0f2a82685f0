package org.attnbench.cli;

import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.DeviceStatus;
import picocli.CommandLine.Command;

/** Lists every backend and device, available or with the reason it is not. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List backends and devices: availability (or the reason not) and library versions.")
final class BackendsCommand implements Runnable {
    @Override
    public void run() {
        for (Backend backend : Backends.all()) {
            String versions = String.join(", ", backend.versions().entrySet().stream()
                    .map(Map.Entry::getKey).map(k -> k + " " + backend.versions().get(k)).toList());
            for (DeviceStatus s : backend.devices()) {
                System.out.printf("%-12s %-7s %-11s %s%n", backend.name(), s.device(),
                        s.available() ? "available" : "unavailable", s.available() ? versions : s.reason());
            }
        }
    }
}
