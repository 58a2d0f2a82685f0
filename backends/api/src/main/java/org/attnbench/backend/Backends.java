package org.attnbench.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.attnbench.core.UserError;

/** The backends on the classpath. */
public final class Backends {
    private Backends() {}

    public static List<Backend> all() {
        List<Backend> out = new ArrayList<>();
        ServiceLoader.load(Backend.class).forEach(out::add);
        return out;
    }

    public static Backend byName(String name) {
        List<Backend> all = all();
        for (Backend b : all) {
            if (b.name().equalsIgnoreCase(name)) return b;
        }
        throw new UserError("unknown backend '" + name + "': available are "
                + String.join(", ", all.stream().map(Backend::name).toList()));
    }

    /** Fails with the backend's own one-line reason when the device cannot be used. */
    public static void requireAvailable(Backend backend, Device device) {
        for (DeviceStatus s : backend.devices()) {
            if (s.device().equals(device)) {
                if (s.available()) return;
                throw new UserError(backend.name() + " cannot use " + device + ": " + s.reason());
            }
        }
        throw new UserError(backend.name() + " has no device " + device + ": available are "
                + String.join(", ", backend.devices().stream()
                        .filter(DeviceStatus::available).map(s -> s.device().toString()).toList()));
    }
}
