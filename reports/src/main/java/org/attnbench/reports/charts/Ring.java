package org.attnbench.reports.charts;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import org.knowm.xchart.style.markers.Marker;

/** A hollow circle larger than the data markers: drawn around a point, it marks it (the Pareto front) without hiding it. */
final class Ring extends Marker {
    private static final BasicStroke STROKE = new BasicStroke(2f);

    @Override
    public void paint(Graphics2D g, double x, double y, int markerSize) {
        double d = markerSize * 2.2;
        g.setStroke(STROKE);
        g.draw(new Ellipse2D.Double(x - d / 2, y - d / 2, d, d));
    }
}
