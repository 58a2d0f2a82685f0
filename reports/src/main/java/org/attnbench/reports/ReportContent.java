package org.attnbench.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.attnbench.reports.charts.BackendChart;
import org.attnbench.reports.charts.BaselineChart;
import org.attnbench.reports.charts.ChartFiles;
import org.attnbench.reports.charts.FidelityChart;
import org.attnbench.reports.charts.HeadlineChart;
import org.attnbench.reports.charts.LatencyChart;
import org.attnbench.reports.charts.LimitChart;
import org.attnbench.reports.charts.MemoryChart;
import org.attnbench.reports.charts.SpeedupChart;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.Document;
import org.attnbench.reports.document.Section;
import org.attnbench.reports.images.OutputGrids;
import org.attnbench.reports.tables.BaselineTable;
import org.attnbench.reports.tables.CellsTable;
import org.attnbench.reports.tables.ClaimsTables;
import org.attnbench.reports.tables.ConditionsTable;
import org.attnbench.reports.tables.FidelityTable;
import org.attnbench.reports.tables.ManifestTable;
import org.attnbench.reports.tables.ProblemCells;
import org.attnbench.reports.tables.PromptEncodingTable;
import org.attnbench.reports.tables.StepPlanTable;
import org.attnbench.reports.tables.StepSplitTable;
import org.attnbench.reports.tables.SummaryTable;
import org.attnbench.reports.tables.UNetStepsTable;
import org.attnbench.store.CellStatus;
import org.attnbench.store.RunManifest;

/**
 * What a report says, in reading order: the summary first (what a decision needs), then the
 * papers' claims beside this run, then the evidence chart by chart, then every cell, failures
 * and the manifest. Charts and images are written into the report folder as they are made.
 */
final class ReportContent {
    /** Files of the run copied beside the report, so a published report carries its data. */
    static final String DATA = "data";

    private ReportContent() {}

    static Document build(RunData run, RunData baseline, Path reportDir) {
        ChartFiles charts = new ChartFiles(reportDir);
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("summary", "Summary", join(List.of(new Block.Paragraph(intro(run))),
                SummaryTable.blocks(run), run.scopes().isEmpty() ? List.of(noWorkload("Summary tables")) : List.of())));
        List<Block> claims = new ArrayList<>(ClaimsTables.blocks(run));
        claims.addAll(UNetStepsTable.blocks(run));
        claims.addAll(StepSplitTable.blocks(run));
        claims.add(ConditionsTable.table(run));
        sections.add(new Section("claims", "Papers' claims and this run", claims));
        sections.add(section("speed", "Speed", join(
                drawn("Speedup charts", () -> SpeedupChart.blocks(run, charts)),
                drawn("Plans per step", () -> StepPlanTable.blocks(run)),
                drawn("Headline chart", () -> HeadlineChart.blocks(run, charts)),
                drawn("Latency charts", () -> LatencyChart.blocks(run, charts)))));
        List<Block> prompts = drawn("Prompt encoding table", () -> PromptEncodingTable.blocks(run));
        if (!prompts.isEmpty()) sections.add(new Section("prompts", "Prompts", prompts));
        sections.add(section("fidelity", "Fidelity", join(
                drawn("Fidelity charts", () -> FidelityChart.blocks(run, charts)),
                drawn("Fidelity tables", () -> FidelityTable.blocks(run)),
                run.scopes().isEmpty() ? List.of() : drawn("Output comparisons", () -> OutputGrids.blocks(run, reportDir)))));
        sections.add(section("memory", "Memory", drawn("Memory charts", () -> MemoryChart.blocks(run, charts))));
        sections.add(section("limits", "Distance to the machine's limits",
                drawn("GEMM share charts", () -> LimitChart.blocks(run, charts))));
        sections.add(section("backends", "DJL and ONNX Runtime",
                drawn("Backend comparison charts", () -> BackendChart.blocks(run, charts))));
        if (baseline != null) {
            RunComparison c = RunComparison.of(baseline.rows(), run.rows(), GateSettings.DEFAULT);
            sections.add(new Section("baseline", "Against the baseline", join(List.of(BaselineTable.intro(run, baseline, c)),
                    drawn("Baseline charts", () -> BaselineChart.blocks(run, c, charts)), List.of(BaselineTable.table(run, c)))));
        }
        sections.add(new Section("problems", "Failed and skipped cells", ProblemCells.blocks(run)));
        sections.add(new Section("cells", "All cells", List.of(CellsTable.table(run))));
        sections.add(new Section("manifest", "Run manifest", join(ManifestTable.blocks(run.manifest(), "manifest"),
                List.of(new Block.Links("The run's data as this report read it (the manifest, and one CSV line per cell):",
                        List.of(DATA + "/manifest.json", DATA + "/rows.csv"))))));
        return new Document("attnbench report: " + run.manifest().name(), summary(run), sections);
    }

    /**
     * A chart kind's blocks; if drawing fails on data nobody foresaw, the report still gets written,
     * with a note saying what could not be drawn and why, rather than losing the run's whole report.
     */
    private static List<Block> drawn(String what, Supplier<List<Block>> draw) {
        try {
            return draw.get();
        } catch (RuntimeException e) {
            return List.of(new Block.LeftOut(what, "could not be drawn: " + e));
        }
    }

    private static Section section(String id, String title, List<Block> blocks) {
        return new Section(id, title, blocks.isEmpty() ? List.of(noWorkload(title + " charts")) : blocks);
    }

    private static Block noWorkload(String what) {
        return new Block.LeftOut(what, "this run has no cell of a measured workload (attention block or UNet)");
    }

    private static String summary(RunData run) {
        RunManifest m = run.manifest();
        List<String> parts = new ArrayList<>();
        parts.add("Run " + m.name() + (m.startedAt() == null ? "" : ", started " + m.startedAt()));
        parts.add(counts(run));
        if (m.machine() != null) parts.add(m.machine().summary());
        if (m.git() != null) {
            String c = m.git().commit();
            parts.add("commit " + (c != null && c.length() > 12 ? c.substring(0, 12) : c) + (m.git().dirty() ? " (dirty)" : ""));
        }
        return String.join(" · ", parts);
    }

    private static String counts(RunData run) {
        long ok = run.rows().stream().filter(r -> r.ok()).count();
        long failed = run.rows().stream().filter(r -> r.status() == CellStatus.FAILED).count();
        long skipped = run.rows().stream().filter(r -> r.status() == CellStatus.SKIPPED).count();
        return String.format(Locale.ROOT, "%d cells: %d ok, %d failed, %d skipped", run.rows().size(), ok, failed, skipped);
    }

    private static String intro(RunData run) {
        String problems = run.problems().isEmpty() ? ""
                : " " + run.problems().size() + " cell(s) did not run; they are marked failed or skipped wherever they"
                        + " appear, with their reasons under Failed and skipped cells.";
        return "Each cell is one backend × device × workload × size × variant. Speedups and errors are against dense"
                + " attention on the same backend, device, size and kernel, measured in this run on this machine, so"
                + " they travel between machines better than absolute times do." + problems;
    }

    @SafeVarargs
    private static List<Block> join(List<? extends Block>... parts) {
        List<Block> out = new ArrayList<>();
        for (List<? extends Block> p : parts) out.addAll(p);
        return out;
    }
}
