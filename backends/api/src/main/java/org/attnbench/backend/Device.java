package org.attnbench.backend;

import org.attnbench.core.UserError;

/** Where a graph runs: the host CPU or one CUDA device. */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, 0);

    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /** Parses "cpu", "cuda" (device 0) or "cuda:N". */
    public static Device parse(String text) {
        String t = text.trim().toLowerCase();
        if (t.equals("cpu")) return CPU;
        if (t.equals("cuda") || t.equals("gpu")) return cuda(0);
        if (t.startsWith("cuda:")) {
            try {
                int index = Integer.parseInt(t.substring(5));
                if (index >= 0) return cuda(index);
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        throw new UserError("unknown device '" + text + "': use cpu, cuda or cuda:N");
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
