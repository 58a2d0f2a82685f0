package org.attnbench.workloads.features;

import java.nio.file.Path;

/** Whether the npm package the nsfwjs extractor needs is installed, for tests to skip without it. */
public final class NsfwjsFixture {
    public static final String MISSING = "npm package nsfwjs " + NsfwjsFiles.VERSION + " is not installed (npm ci --prefix tools/nsfwjs)";

    private NsfwjsFixture() {}

    /** The checkout's unpacking script. */
    public static Path script() {
        return NsfwjsFiles.toolsFolder().resolve(NsfwjsFiles.SCRIPT);
    }

    public static boolean installed() {
        try {
            return NsfwjsFiles.VERSION.equals(NsfwjsFiles.installedVersion(NsfwjsFiles.toolsFolder()));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
