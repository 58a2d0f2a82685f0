package org.attnbench.reports.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.math.BigDecimal;
import java.util.Locale;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The look every chart shares: white background, light grid, a legend below the plot, and
 * Tableau's ten colours (distinct on screen and in print). Sizes are the PNG's pixels.
 */
public final class ChartStyle {
    public static final int WIDTH = 960;
    public static final int HEIGHT = 540;

    public static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xE15759), new Color(0xB07AA1),
        new Color(0x76B7B2), new Color(0xEDC948), new Color(0x9C755F), new Color(0xFF9DA7), new Color(0xBAB0AC),
    };
    public static final Color WORSE = new Color(0xC62828);
    public static final Color BETTER = new Color(0x2E7D32);
    public static final Color NEUTRAL = new Color(0x9E9E9E);
    public static final Color REFERENCE_LINE = new Color(0x555555);

    static final BasicStroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {8f, 5f}, 0f);
    static final BasicStroke DOTTED = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[] {1f, 5f}, 0f);
    static final BasicStroke THIN_DASHED = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {5f, 4f}, 0f);

    private ChartStyle() {}

    public static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** Applies the shared look to a chart's styler. */
    public static void apply(Styler s) {
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        s.setBaseFont(base);
        s.setChartTitleFont(base.deriveFont(Font.BOLD, 16f));
        s.setLegendFont(base.deriveFont(12f));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartFontColor(new Color(0x222222));
        s.setChartTitleBoxVisible(false);
        s.setPlotBorderVisible(false);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setSeriesColors(PALETTE);
        s.setAntiAlias(true);
        s.setChartPadding(12);
        s.setMarkerSize(9);
        s.setAnnotationLineColor(REFERENCE_LINE);
        s.setAnnotationLineStroke(THIN_DASHED);
        s.setAnnotationTextFont(base.deriveFont(11f));
        s.setAnnotationTextFontColor(new Color(0x444444));
        s.setToolTipsEnabled(false);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(base.deriveFont(Font.BOLD, 13f));
            a.setAxisTickLabelsFont(base.deriveFont(12f));
            a.setPlotGridLinesColor(new Color(0xE4E4E4));
            a.setPlotGridLinesStroke(new BasicStroke(1f));
            a.setAxisTickMarksColor(new Color(0x999999));
            a.setLocale(Locale.ROOT);
            a.setPlotMargin(8);
            a.setyAxisTickLabelsFormattingFunction(ChartStyle::tick);
        }
    }

    /** Tick labels with at most three significant digits and no trailing zeros: "0.006", "1.5", "2e-4". */
    static String tick(Double v) {
        if (v == null || !Double.isFinite(v)) return "";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-3 || a >= 1e6) {
            return new java.math.BigDecimal(String.format(Locale.ROOT, "%.2e", v)).stripTrailingZeros().toString()
                    .replace("E", "e").replace("e+", "e");
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }
}
