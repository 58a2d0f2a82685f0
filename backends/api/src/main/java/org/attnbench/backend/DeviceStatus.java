package org.attnbench.backend;

/** Whether a backend can use a device, and if not, why (one line a user can act on). */
public record DeviceStatus(Device device, boolean available, String reason) {
    public static DeviceStatus available(Device device) {
        return new DeviceStatus(device, true, "");
    }

    public static DeviceStatus unavailable(Device device, String reason) {
        return new DeviceStatus(device, false, reason);
    }
}
