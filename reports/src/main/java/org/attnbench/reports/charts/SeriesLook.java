package org.attnbench.reports.charts;

import java.awt.BasicStroke;
import java.util.List;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.internal.series.MarkerSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One rule for how a series looks, shared by the charts of a scope: colour says the variant,
 * line style and marker say the backend (and device, dtype where they vary). A reader who learns
 * it on one chart reads every other chart of the report the same way.
 */
final class SeriesLook {
    private static final BasicStroke[] STROKES = {ChartStyle.SOLID, ChartStyle.DASHED, ChartStyle.DOTTED};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private final Labels labels;
    private final List<String> variants;
    private final List<String> wheres;

    SeriesLook(List<ResultRow> rows) {
        this.labels = new Labels(rows);
        this.variants = RunData.distinct(rows, r -> r.cell().variant());
        this.wheres = RunData.distinct(rows, r -> labels.where(r.cell()));
    }

    Labels labels() {
        return labels;
    }

    /** Colours, strokes and markers a series by its cell's variant and backend. */
    <S extends MarkerSeries> S apply(S series, CellInfo cell) {
        int v = Math.max(0, variants.indexOf(cell.variant()));
        int w = Math.max(0, wheres.indexOf(labels.where(cell)));
        series.setMarker(MARKERS[w % MARKERS.length]);
        series.setMarkerColor(ChartStyle.color(v));
        series.setLineColor(ChartStyle.color(v));
        series.setLineStyle(STROKES[w % STROKES.length]);
        return series;
    }

    /** Whether the chart's legend needs the line-style key (more than one backend). */
    boolean severalWheres() {
        return wheres.size() > 1;
    }
}
