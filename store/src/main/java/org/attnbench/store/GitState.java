package org.attnbench.store;

import java.nio.file.Path;
import java.util.List;

/**
 * The commit a run was built from and whether the work tree had changes, so a number can be
 * traced to its code. Unknown ("unknown", dirty false) outside a git checkout.
 */
public record GitState(String commit, boolean dirty) {

    public static GitState of(Path dir) {
        String d = dir.toAbsolutePath().toString();
        List<String> head = Machine.run("git", "-C", d, "rev-parse", "HEAD");
        if (head.isEmpty()) return new GitState("unknown", false);
        // Results written under the work tree are ignored by git, so they never make it dirty.
        boolean dirty = !Machine.run("git", "-C", d, "status", "--porcelain", "--untracked-files=no").isEmpty();
        return new GitState(head.get(0).trim(), dirty);
    }
}
