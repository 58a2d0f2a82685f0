package org.attnbench.backend;

import java.util.List;

/**
 * Whether a backend can use a device, and if not, why (one line a user can act on); when what is
 * lacking is a list of things to install, {@code missing} holds them, each naming how to get it.
 */
public record DeviceStatus(Device device, boolean available, String reason, List<String> missing) {
    public DeviceStatus {
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    public DeviceStatus(Device device, boolean available, String reason) {
        this(device, available, reason, List.of());
    }

    public static DeviceStatus available(Device device) {
        return new DeviceStatus(device, true, "");
    }

    public static DeviceStatus unavailable(Device device, String reason) {
        return new DeviceStatus(device, false, reason);
    }

    /** Unavailable for want of these things, each "what (why not found): how to get it"; the reason lists them all. */
    public static DeviceStatus missing(Device device, List<String> missing) {
        return new DeviceStatus(device, false, "missing " + String.join("; ", missing), missing);
    }
}
