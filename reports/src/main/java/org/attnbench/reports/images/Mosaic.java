package org.attnbench.reports.images;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Lays out an image comparison: one column per cell (the reference first), the outputs in the top
 * row, their difference from the reference in the bottom row, and a colour bar for the
 * differences' shared scale.
 */
final class Mosaic {
    static final int TILE = 256;
    private static final int PAD = 14;
    private static final int LEFT = 150;
    private static final int TITLE = 34;
    private static final int HEADER = 40;
    private static final int FOOTER = 24;
    private static final int BAR = 18;
    private static final int BAR_AREA = 90;
    private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** One column: its title, its output, its difference from the reference (null for the reference) and a note. */
    record Column(String title, BufferedImage output, BufferedImage difference, String note) {}

    private Mosaic() {}

    /**
     * @param smooth scale photographs smoothly; token maps stay blocky so each token is visible
     */
    static BufferedImage draw(String title, String topLabel, String bottomLabel, List<Column> columns, double max,
            String scale, boolean smooth) {
        BufferedImage first = columns.get(0).output();
        int tileW = TILE;
        int tileH = Math.max(1, (int) Math.round(TILE * (double) first.getHeight() / first.getWidth()));
        int width = LEFT + columns.size() * (tileW + PAD) + BAR_AREA;
        int height = TITLE + 2 * (HEADER + tileH + FOOTER) + PAD;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, smooth ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
                : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0x222222));
        g.setFont(BASE.deriveFont(Font.BOLD, 15f));
        g.drawString(title, PAD, 22);
        int[] rowTop = {TITLE, TITLE + HEADER + tileH + FOOTER};
        String[] rowLabel = {topLabel, bottomLabel};
        for (int row = 0; row < 2; row++) {
            int y = rowTop[row] + HEADER;
            g.setFont(BASE.deriveFont(Font.BOLD));
            wrap(g, rowLabel[row], PAD, y + 16, LEFT - 2 * PAD);
            for (int i = 0; i < columns.size(); i++) {
                Column col = columns.get(i);
                int x = LEFT + i * (tileW + PAD);
                g.setFont(BASE.deriveFont(Font.BOLD));
                g.setColor(new Color(0x222222));
                g.drawString(fit(g, col.title(), tileW), x, rowTop[row] + HEADER - 10);
                BufferedImage tile = row == 0 ? col.output() : col.difference();
                if (tile == null) {
                    g.setColor(new Color(0xF2F2F2));
                    g.fillRect(x, y, tileW, tileH);
                    g.setColor(new Color(0x777777));
                    g.setFont(BASE);
                    g.drawString("reference", x + tileW / 2 - g.getFontMetrics().stringWidth("reference") / 2, y + tileH / 2);
                } else {
                    g.drawImage(tile, x, y, tileW, tileH, null);
                }
                if (row == 1 && col.note() != null) {
                    g.setFont(BASE.deriveFont(12f));
                    g.setColor(new Color(0x444444));
                    g.drawString(fit(g, col.note(), tileW), x, y + tileH + 17);
                }
            }
        }
        int barX = LEFT + columns.size() * (tileW + PAD) + 4;
        int barY = rowTop[1] + HEADER;
        g.drawImage(HeatMap.bar(BAR, tileH), barX, barY, null);
        g.setColor(new Color(0x222222));
        g.setFont(BASE.deriveFont(12f));
        g.drawString(scale, barX + BAR + 5, barY + 10);
        g.drawString("0", barX + BAR + 5, barY + tileH);
        g.dispose();
        return img;
    }

    private static String fit(Graphics2D g, String text, int width) {
        FontMetrics m = g.getFontMetrics();
        if (m.stringWidth(text) <= width) return text;
        String s = text;
        while (s.length() > 1 && m.stringWidth(s + "…") > width) s = s.substring(0, s.length() - 1);
        return s + "…";
    }

    private static void wrap(Graphics2D g, String text, int x, int y, int width) {
        FontMetrics m = g.getFontMetrics();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && m.stringWidth(line + " " + word) > width) {
                g.drawString(line.toString(), x, y);
                y += m.getHeight();
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0) g.drawString(line.toString(), x, y);
    }
}
