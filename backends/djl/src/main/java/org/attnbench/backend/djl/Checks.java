package org.attnbench.backend.djl;

import java.util.Arrays;
import java.util.Optional;
import org.attnbench.graph.Attributes;

/** Small helpers for {@link OpCheck}s: each returns the reason, or empty when the value is implemented. */
final class Checks {
    private Checks() {}

    static Optional<String> dtype(int onnxCode, String attr) {
        return DjlBackend.dtypeIssue(onnxCode, "attribute " + attr);
    }

    static Optional<String> oneOf(Attributes a, String name, String fallback, String... allowed) {
        String v = a.getString(name, fallback);
        return Arrays.asList(allowed).contains(v) ? Optional.empty() : Optional.of(name + "=" + v);
    }

    static Optional<String> intIs(Attributes a, String name, long fallback, long allowed) {
        long v = a.getInt(name, fallback);
        return v == allowed ? Optional.empty() : Optional.of(name + "=" + v);
    }

    static Optional<String> absent(Attributes a, String name) {
        return a.has(name) ? Optional.of("attribute " + name) : Optional.empty();
    }

    static Optional<String> maxOutputs(int have, int max) {
        return have > max ? Optional.of(have + " outputs") : Optional.empty();
    }

    @SafeVarargs
    static Optional<String> first(Optional<String>... reasons) {
        return Arrays.stream(reasons).flatMap(Optional::stream).findFirst();
    }
}
