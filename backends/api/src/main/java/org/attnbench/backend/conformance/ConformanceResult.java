package org.attnbench.backend.conformance;

/** The outcome of one case: passed, failed (with the largest error) or skipped (with the reason). */
public record ConformanceResult(String name, Status status, String detail) {
    public enum Status { PASS, FAIL, SKIP }

    @Override
    public String toString() {
        return switch (status) {
            case PASS -> name + ": pass";
            case FAIL -> name + ": FAIL " + detail;
            case SKIP -> name + ": skipped (" + detail + ")";
        };
    }
}
