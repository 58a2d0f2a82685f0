package org.attnbench.reports.charts;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;

/**
 * Small text labels beside scatter points, placed so they neither cover a point nor each other:
 * right of the point if there is room, else left, else above, else below, else left out (a
 * point with the same label nearby already says it). Positions are worked out in approximate
 * pixels of the plot area, which is all that legibility needs.
 */
final class PointLabels {
    private static final double CHAR_PX = 6.6;
    private static final double TEXT_H = 13;
    private static final double GAP = 9;

    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final boolean logY;
    private final double plotW;
    private final double plotH;
    private final List<Rectangle2D> taken = new ArrayList<>();
    private final List<double[]> points = new ArrayList<>();
    private final List<Object[]> labelled = new ArrayList<>();

    PointLabels(double xMin, double xMax, double yMin, double yMax, boolean logY, double plotW, double plotH) {
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = logY ? Math.log10(yMin) : yMin;
        this.yMax = logY ? Math.log10(yMax) : yMax;
        this.logY = logY;
        this.plotW = plotW;
        this.plotH = plotH;
    }

    /** Registers every point first, so no label is placed on top of a later point. */
    void point(double x, double y) {
        double[] p = px(x, y);
        points.add(p);
        taken.add(new Rectangle2D.Double(p[0] - 6, p[1] - 6, 12, 12));
    }

    /** Adds the label to the chart if it fits somewhere near its point and an equal point is not labelled yet. */
    void label(XYChart chart, String text, double x, double y) {
        double[] p = px(x, y);
        for (Object[] l : labelled) {
            double[] q = (double[]) l[1];
            if (l[0].equals(text) && Math.abs(q[0] - p[0]) < 4 && Math.abs(q[1] - p[1]) < 4) return;
        }
        labelled.add(new Object[] {text, p});
        double w = text.length() * CHAR_PX;
        double[][] centres = {
            {p[0] + GAP + w / 2, p[1]}, {p[0] - GAP - w / 2, p[1]}, {p[0], p[1] - GAP - TEXT_H / 2},
            {p[0], p[1] + GAP + TEXT_H / 2},
        };
        for (double[] c : centres) {
            Rectangle2D box = new Rectangle2D.Double(c[0] - w / 2, c[1] - TEXT_H / 2, w, TEXT_H);
            if (box.getMinX() < 0 || box.getMaxX() > plotW || box.getMinY() < 0 || box.getMaxY() > plotH) continue;
            if (taken.stream().anyMatch(box::intersects)) continue;
            taken.add(box);
            chart.addAnnotation(new AnnotationText(text, dataX(c[0]), dataY(c[1]), false));
            return;
        }
    }

    private double[] px(double x, double y) {
        double yy = logY ? Math.log10(y) : y;
        return new double[] {(x - xMin) / (xMax - xMin) * plotW, (yMax - yy) / (yMax - yMin) * plotH};
    }

    private double dataX(double px) {
        return xMin + px / plotW * (xMax - xMin);
    }

    private double dataY(double py) {
        double v = yMax - py / plotH * (yMax - yMin);
        return logY ? Math.pow(10, v) : v;
    }
}
