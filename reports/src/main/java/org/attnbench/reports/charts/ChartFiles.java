package org.attnbench.reports.charts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.reports.document.Block.Figure;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Saves charts into the report folder, each as a PNG (what pages show) and an SVG (for print and
 * slides), and returns the figure that links them by relative path.
 */
public final class ChartFiles {
    public static final String FOLDER = "charts";

    private final Path reportDir;

    public ChartFiles(Path reportDir) {
        this.reportDir = reportDir;
    }

    /** Writes {@code charts/ID.png} and {@code charts/ID.svg}; the chart's title becomes the figure's. */
    public Figure save(String id, Chart<?, ?> chart, String caption) {
        Path dir = reportDir.resolve(FOLDER);
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(dir.resolve(id + ".png"))) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve(id + ".svg"))) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + id + " under " + dir + ": " + e.getMessage(), e);
        }
        return new Figure(id, chart.getTitle(), caption, FOLDER + "/" + id + ".png", FOLDER + "/" + id + ".svg",
                chart.getWidth(), chart.getHeight());
    }
}
