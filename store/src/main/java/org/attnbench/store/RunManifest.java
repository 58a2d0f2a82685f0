package org.attnbench.store;

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
 * @param git the code's commit and dirty flag
 * @param machine the machine
 * @param versions attnbench and the runtime libraries (djl, libtorch, onnxruntime, ...)
 * @param shard {@code I/N} when this run is one shard of a sweep, else null
 * @param mergedFrom the run folders a merged run was combined from, else empty
 * @param cells cells the run (or shard) holds
 * @param startedAt ISO-8601 start time
 * @param finishedAt ISO-8601 end time, null while running or after an interruption
 */
public record RunManifest(String name, String configFile, String configHash, String configText, double scale, String command,
        GitState git, Machine machine, Map<String, String> versions, String shard, List<String> mergedFrom, int cells,
        String startedAt, String finishedAt) {

    public RunManifest {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
        mergedFrom = mergedFrom == null ? List.of() : List.copyOf(mergedFrom);
    }

    public RunManifest finished(String at) {
        return new RunManifest(name, configFile, configHash, configText, scale, command, git, machine, versions, shard, mergedFrom,
                cells, startedAt, at);
    }

    public RunManifest resumed(String command) {
        return new RunManifest(name, configFile, configHash, configText, scale, command, git, machine, versions, shard,
                mergedFrom, cells, startedAt, null);
    }
}
