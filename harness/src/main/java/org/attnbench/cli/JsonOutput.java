package org.attnbench.cli;

import java.io.PrintStream;
import org.attnbench.store.StoreJson;

/**
 * {@code --json}: a command's result as one JSON document on stdout (snake_case keys, a value not
 * measured as null), while what it prints for people goes to stderr. Each document carries its
 * {@code schema_version}; the schemas are under {@code schemas/} in the store module's resources.
 */
final class JsonOutput {
    private JsonOutput() {}

    static void print(Object document) {
        System.out.println(StoreJson.PRETTY.toJson(document));
    }

    /** Where the human-readable lines go: stdout, or stderr when stdout carries JSON. */
    static PrintStream human(boolean json) {
        return json ? System.err : System.out;
    }
}
