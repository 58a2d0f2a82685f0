package org.attnbench.store;

/**
 * One stretch of measuring in a run folder: its start, a resume, or a shard merged in. Cells
 * measured in different sessions may have run on other code or another machine; the manifest
 * lists every session so a reader can tell.
 *
 * @param command the command line
 * @param startedAt ISO-8601 time it started
 * @param git the code's commit and dirty flag then
 * @param machine {@link Machine#summary()} of the machine it ran on
 */
public record Session(String command, String startedAt, GitState git, String machine) {

    /** Whether cells of this session and of {@code other} ran on the same code and machine. */
    public boolean sameConditions(Session other) {
        return git.equals(other.git) && machine.equals(other.machine);
    }
}
