package org.attnbench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.DeviceStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lists every backend and device, available or with the reason it is not; for a device that lacks
 * installed pieces (CUDA's driver, runtime, cuDNN, libtorch), one indented line each with how to get it.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List backends and devices: availability (or the reason not) and library versions.")
final class BackendsCommand implements Runnable {
    @Option(names = "--json", description = "Print them as JSON on stdout (schema: schemas/backends.schema.json).")
    boolean json;

    /**
     * One backend as {@code backends --json} prints it.
     *
     * @param error why the backend could not be loaded at all (its devices are then empty), else null
     */
    record BackendJson(String name, Map<String, String> versions, List<DeviceJson> devices, String error) {}

    /** One device: usable, or the reason not and each missing piece with how to get it. */
    record DeviceJson(String device, boolean available, String reason, List<String> missing) {}

    record BackendsJson(int schemaVersion, List<BackendJson> backends) {}

    @Override
    public void run() {
        List<BackendJson> all = new ArrayList<>();
        for (Backend backend : Backends.all()) {
            try {
                Map<String, String> versions = new TreeMap<>(backend.versions());
                List<DeviceJson> devices = new ArrayList<>();
                for (DeviceStatus s : backend.devices()) {
                    devices.add(new DeviceJson(s.device().toString(), s.available(), s.available() ? null : s.reason(), s.missing()));
                }
                all.add(new BackendJson(backend.name(), versions, devices, null));
            } catch (RuntimeException | LinkageError e) {
                // A backend whose native library fails to load must not hide the others.
                all.add(new BackendJson(backend.name(), Map.of(), List.of(),
                        e.getMessage() == null ? "failed to load" : Main.firstLine(e.getMessage())));
            }
        }
        if (json) {
            JsonOutput.print(new BackendsJson(1, all));
            return;
        }
        for (BackendJson b : all) {
            if (b.error() != null) {
                System.out.printf("%-12s %-7s unavailable: %s%n", b.name(), "-", b.error());
                continue;
            }
            String versions = String.join(", ", b.versions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
            for (DeviceJson d : b.devices()) {
                String status = d.available() ? "available" : d.missing().isEmpty() ? "unavailable: " + d.reason()
                        : "unavailable: it needs " + d.missing().size() + " thing(s) this machine lacks:";
                System.out.printf("%-12s %-7s %s  %s%n", b.name(), d.device(), status, versions);
                for (String m : d.missing()) System.out.println("    - " + m);
            }
        }
    }
}
