package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class SharedOptionsTest {
    /** Names that mean different things in different commands, on purpose: each says what it takes. */
    private static final Set<String> DIFFERENT_BY_DESIGN = Set.of(
            "--model",   // a UNet config in unet/export-onnx/params, an ONNX extractor in features/fid
            "--output",  // a tensor file, an extractor's graph output, an ONNX file
            "--out",     // a run folder, a report folder, a features file
            "--batch",   // images per extractor run in features, a model's batch elsewhere
            "--baseline", // what compare compares, so required there; optional beside a report or the gate
            "--pipeline", // all encode-prompts reads, so required there; beside --model in unet, export-onnx and params
            "--prompt");  // repeated for a file's worth in encode-prompts; the one prompt of unet's one image

    @Test
    void anOptionNamedAlikeIsTheSameOptionInEveryCommand() {
        Map<String, String> seen = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        List<String> mismatches = new java.util.ArrayList<>();
        int shared = 0;
        for (CommandLine sub : new CommandLine(new Main()).getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                String name = o.longestName();
                if (DIFFERENT_BY_DESIGN.contains(name) || o.usageHelp() || o.versionHelp()) continue;
                String signature = o.type().getSimpleName() + " default=" + o.defaultValue() + " required=" + o.required();
                String before = seen.putIfAbsent(name, signature);
                if (before == null) {
                    where.put(name, sub.getCommandName());
                } else if (!before.equals(signature)) {
                    mismatches.add(name + ": " + where.get(name) + " has " + before + ", " + sub.getCommandName() + " has " + signature);
                } else {
                    shared++;
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(shared >= 10, "options such as --seed, --variant and --backend are shared by several commands: " + shared);
    }
}
