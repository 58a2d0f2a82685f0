package org.attnbench.harness.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.attnbench.workloads.Cell;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundled config compares each method with its backend's fastest dense kernel (the fused
 * one), so no report built from them takes a speedup over the naive kernel for a method's gain. The
 * gate alone compares each kernel's variants with dense on that kernel: it guards every kernel
 * against regressions and sets nothing beside a paper.
 */
class BundledConfigsTest {
    static final Path CONFIGS = Path.of("../configs");
    static final String FUSED = "dense:kernel=fused";

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyMethodIsComparedWithTheFusedDenseKernel() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(CONFIGS)) {
            files = s.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("gate.yaml"))
                    .sorted().toList();
        }
        assertTrue(files.size() >= 9, "the bundled configs: " + files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            CellPlan plan = CellPlan.of(SweepConfigReader.read(fromHere(f), 1.0));
            Map<String, Cell> byId = plan.cells().stream().collect(Collectors.toMap(Cell::id, Function.identity()));
            List<Cell> compared = plan.measured().stream().filter(c -> c.referenceId() != null).toList();
            assertFalse(compared.isEmpty(), f + " compares nothing");
            for (Cell c : compared) {
                assertEquals(FUSED, byId.get(c.referenceId()).variant().canonical(), f + ": " + c.id());
            }
        }));
    }

    /** The config with its model paths (written from the checkout's root) resolved from this module's folder. */
    private Path fromHere(Path config) throws Exception {
        Path copy = tmp.resolve(config.getFileName());
        Files.writeString(copy, Files.readString(config).replace("model: configs/", "model: ../configs/"));
        return copy;
    }
}
