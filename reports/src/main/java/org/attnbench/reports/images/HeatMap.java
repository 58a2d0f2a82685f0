package org.attnbench.reports.images;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * Absolute differences as colours on one scale: black (no difference) through purple and orange
 * to pale yellow (the scale's maximum), an approximation of matplotlib's "inferno", which stays
 * readable in grey and for colour-blind readers.
 */
public final class HeatMap {
    private static final Color[] STOPS = {new Color(0x000004), new Color(0x420A68), new Color(0x932667),
        new Color(0xDD513A), new Color(0xFCA50A), new Color(0xFCFFA4)};

    private HeatMap() {}

    /** The colour of {@code value} on a scale from 0 to {@code max}. */
    public static int rgb(double value, double max) {
        double t = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
        double x = t * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) Math.floor(x));
        double f = x - i;
        Color a = STOPS[i];
        Color b = STOPS[i + 1];
        int r = (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed()));
        int g = (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen()));
        int bl = (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue()));
        return (r << 16) | (g << 8) | bl;
    }

    /** A w × h image of row-major values on a scale from 0 to {@code max}. */
    public static BufferedImage render(double[] values, int w, int h, double max) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < w * h; p++) img.setRGB(p % w, p / w, rgb(values[p], max));
        return img;
    }

    /** A vertical colour bar, maximum at the top. */
    public static BufferedImage bar(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            int rgb = rgb(h - 1 - y, h - 1);
            for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        }
        return img;
    }
}
