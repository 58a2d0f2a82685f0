package org.attnbench.workloads;

/** A cell that cannot run on its backend (an op, a dtype or a device it lacks): recorded as skipped, with the reason. */
public final class CellSkipped extends RuntimeException {
    public CellSkipped(String reason) {
        super(reason);
    }
}
