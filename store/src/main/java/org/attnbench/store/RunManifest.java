package org.attnbench.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to trust and reproduce a run, written as {@code manifest.json} when it starts
 * and rewritten when it ends.
 *
 * @param name the config's name
 * @param configFile the config file as given
 * @param configHash SHA-256 of the config text: runs with equal hashes ran the same cells
 * @param configText the config as given, verbatim
 * @param scale the factor the config's grids and resolutions were scaled by (1 when not)
 * @param command the command line that started the run
 * @param git the code's commit and dirty flag where the run started
 * @param machine the machine it started on
 * @param versions attnbench and the runtime libraries (djl, libtorch, onnxruntime, ...)
 * @param shard {@code I/N} when this run is one shard of a sweep, else null
 * @param mergedFrom the run folders a merged run was combined from, else empty
 * @param cells cells the run (or shard) holds
 * @param startedAt ISO-8601 start time
 * @param finishedAt ISO-8601 end time, null while running or after an interruption
 * @param sessions every session that measured cells here: the start, each resume, each merged shard's
 */
public record RunManifest(String name, String configFile, String configHash, String configText, double scale, String command,
        GitState git, Machine machine, Map<String, String> versions, String shard, List<String> mergedFrom, int cells,
        String startedAt, String finishedAt, List<Session> sessions) {

    public RunManifest {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
        mergedFrom = mergedFrom == null ? List.of() : List.copyOf(mergedFrom);
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    public RunManifest finished(String at) {
        return new RunManifest(name, configFile, configHash, configText, scale, command, git, machine, versions, shard, mergedFrom,
                cells, startedAt, at, sessions);
    }

    /** This run resumed by another session (it is unfinished again until it ends). */
    public RunManifest resumed(Session session) {
        List<Session> all = new ArrayList<>(sessions);
        all.add(session);
        return new RunManifest(name, configFile, configHash, configText, scale, command, git, machine, versions, shard,
                mergedFrom, cells, startedAt, null, all);
    }
}
