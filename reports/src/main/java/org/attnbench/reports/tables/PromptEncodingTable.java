package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.PromptEncoding;

/**
 * How a run's prompts were encoded: per pipeline and per session (a resumed run encodes only what it
 * lacks), how many prompts, in how long, and the peak resident memory of the process that did it,
 * apart from the cells' step times and memory.
 */
public final class PromptEncodingTable {
    private PromptEncodingTable() {}

    public static List<Block> blocks(RunData run) {
        List<PromptEncoding> all = PromptEncoding.all(run.dir());
        if (all.isEmpty()) return List.of();
        TextTable t = new TextTable("prompt-encoding", "pipeline", "prompt set", "prompts", "negative prompt", "session",
                "encoded", "time (s)", "peak memory of encoding", "on");
        for (PromptEncoding e : all) {
            String negative = e.negativePrompt() == null ? "(pipeline's default)" : "\u201c" + e.negativePrompt() + "\u201d";
            String pipeline = e.pipelineClass() + " at " + e.pipeline() + (e.variant() == null ? "" : " (" + e.variant() + ")");
            String set = e.promptSet() + ", " + e.imagesPerPrompt() + " image" + (e.imagesPerPrompt() == 1 ? "" : "s")
                    + " each from seed " + e.seed() + " + k";
            if (e.sessions().isEmpty()) {
                t.add(pipeline, set, Integer.toString(e.prompts().size()), negative, "-", "0", Numbers.NOT_MEASURED,
                        Numbers.NOT_MEASURED, "-");
            }
            for (PromptEncoding.Session s : e.sessions()) {
                t.add(pipeline, set, Integer.toString(e.prompts().size()), negative, s.startedAt(), Integer.toString(s.encoded()),
                        String.format(Locale.ROOT, "%.1f", s.seconds()), Numbers.mib(s.peakRssMb()), s.backend());
            }
        }
        List<Block> out = new ArrayList<>();
        out.add(new Block.TableBlock("prompt-encoding", "Prompt encoding",
                "Each prompt was encoded once per run, by the pipeline's own tokenizers and text encoders, in a process of its"
                        + " own that ended before any cell read a denoiser: its time (text encoders' loading included) is no"
                        + " part of any cell's step times, and its peak memory is its own, never added to a cell's (the cells'"
                        + " peak memory is in the cells table). A resumed run encodes only the prompts it lacked.",
                t.build()));
        return out;
    }
}
