package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The cluster recipes in configs/cluster as written: the Kubernetes Indexed Job parses, pulls the
 * image, asks for whole CPUs and memory as a Guaranteed pod and keeps its shards one to a node;
 * its shell and the Slurm array's deal shards 1..N of N from the index (each once, each its own
 * folder), resume a shard that has a manifest, count exit 3 (failed cells recorded) as done, and
 * never build (the Slurm tasks run the launcher with ATTNBENCH_NO_BUILD). An {@code attnbench}
 * stand-in records how it was called.
 */
class ClusterRecipesTest {
    static final Path CLUSTER = Path.of("../configs/cluster");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theIndexedJobParsesAndSpreadsGuaranteedShardsOneToANode() throws IOException {
        Map<String, Object> job = new Yaml().load(Files.readString(CLUSTER.resolve("level1-job.yaml")));
        assertEquals("batch/v1", job.get("apiVersion"));
        assertEquals("Job", job.get("kind"));
        Map<String, Object> spec = map(job, "spec");
        assertEquals("Indexed", spec.get("completionMode"));
        assertEquals(4, spec.get("completions"));
        assertEquals(spec.get("completions"), spec.get("parallelism"));
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        Map<String, Object> labels = map(map(map(spec, "template"), "metadata"), "labels");
        Map<String, Object> anti = ((List<Map<String, Object>>) map(map(pod, "affinity"), "podAntiAffinity")
                .get("requiredDuringSchedulingIgnoredDuringExecution")).get(0);
        assertEquals("kubernetes.io/hostname", anti.get("topologyKey"));
        Map<String, Object> selected = map(map(anti, "labelSelector"), "matchLabels");
        selected.forEach((k, v) -> assertEquals(v, labels.get(k), "the anti-affinity selects the job's own pods: " + k));

        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertTrue(((String) container.get("image")).contains("attnbench"), container.toString());
        Map<String, Object> requests = map(map(container, "resources"), "requests");
        assertEquals(requests, map(map(container, "resources"), "limits"), "requests equal limits: a Guaranteed pod");
        assertTrue(((String) requests.get("cpu")).matches("\\d+"), "whole CPUs: " + requests);
        assertTrue(((String) requests.get("memory")).matches("\\d+Gi"), requests.toString());
        assertEquals(List.of("bash", "-c"), container.get("command"));

        String script = ((List<String>) container.get("args")).get(0).replace("/app/attnbench", fake().toString());
        assertTrue(script.contains("N=" + spec.get("completions")), "N matches the completions");
        List<String> shards = new ArrayList<>();
        for (int index = 0; index < 4; index++) {
            assertEquals(0, run(List.of("bash", "-c", script), Map.of("JOB_COMPLETION_INDEX", "" + index)));
            shards.add(lastCall());
        }
        assertEquals(List.of("run configs/level1.yaml --shard 1/4 --out /results/level1-shard-1-of-4",
                "run configs/level1.yaml --shard 2/4 --out /results/level1-shard-2-of-4",
                "run configs/level1.yaml --shard 3/4 --out /results/level1-shard-3-of-4",
                "run configs/level1.yaml --shard 4/4 --out /results/level1-shard-4-of-4"), shards);
        assertEquals(0, run(List.of("bash", "-c", script), Map.of("JOB_COMPLETION_INDEX", "1", "FAKE_EXIT", "3")),
                "failed cells are recorded: the shard is done");
        assertEquals(1, run(List.of("bash", "-c", script), Map.of("JOB_COMPLETION_INDEX", "1", "FAKE_EXIT", "1")),
                "an error fails the pod, which restarts and resumes");
    }

    @Test
    void theSlurmArrayDealsShardsByTaskNeverBuildsAndResumes() throws IOException {
        Path script = CLUSTER.resolve("level1-array.sbatch").toAbsolutePath();
        assertTrue(Files.readString(script).contains("#SBATCH --array=1-4"));
        assertTrue(Files.readString(script).contains("#SBATCH --exclusive"), "a node per task");
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(fake(), checkout.resolve("attnbench"));
        Files.setPosixFilePermissions(checkout.resolve("attnbench"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String[] array : List.of(new String[] {"1", "4"}, new String[] {"0", "3"})) {
            int min = Integer.parseInt(array[0]);
            List<String> calls = new ArrayList<>();
            for (int task = min; task < min + 4; task++) {
                assertEquals(0, run(List.of("bash", script.toString()), Map.of("SLURM_SUBMIT_DIR", checkout.toString(),
                        "SLURM_ARRAY_TASK_ID", "" + task, "SLURM_ARRAY_TASK_MIN", "" + min, "SLURM_ARRAY_TASK_COUNT", "4")));
                calls.add(lastCall());
            }
            assertEquals(List.of("run configs/level1.yaml --shard 1/4 --out results/runs/level1-shard-1-of-4 no-build=1",
                    "run configs/level1.yaml --shard 2/4 --out results/runs/level1-shard-2-of-4 no-build=1",
                    "run configs/level1.yaml --shard 3/4 --out results/runs/level1-shard-3-of-4 no-build=1",
                    "run configs/level1.yaml --shard 4/4 --out results/runs/level1-shard-4-of-4 no-build=1"), calls,
                    "array " + array[0] + "-" + array[1]);
        }
        Path shard = Files.createDirectories(checkout.resolve("results/runs/level1-shard-2-of-4"));
        Files.writeString(shard.resolve("manifest.json"), "{}");
        assertEquals(0, run(List.of("bash", script.toString()), Map.of("SLURM_SUBMIT_DIR", checkout.toString(),
                "SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "4", "FAKE_EXIT", "3")));
        assertEquals("run --resume results/runs/level1-shard-2-of-4 no-build=1", lastCall());
    }

    /** An attnbench stand-in: appends its arguments (and whether building is off) to calls.log, exits with FAKE_EXIT. */
    private Path fake() throws IOException {
        Path f = dir.resolve("fake-attnbench");
        if (Files.exists(f)) return f;
        Files.writeString(f, "#!/usr/bin/env bash\n"
                + "echo \"$*${ATTNBENCH_NO_BUILD:+ no-build=$ATTNBENCH_NO_BUILD}\" >> \"" + dir.resolve("calls.log") + "\"\n"
                + "exit ${FAKE_EXIT:-0}\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private int run(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.startsWith("ATTNBENCH_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return p.exitValue();
    }

    private String lastCall() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("calls.log"));
        return lines.get(lines.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }
}
