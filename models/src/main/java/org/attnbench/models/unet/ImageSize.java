package org.attnbench.models.unet;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attnbench.core.UserError;
import org.attnbench.models.SizeLimits;

/**
 * An image size in pixels. Written as image sizes usually are: {@code 1024} for a square,
 * {@code WIDTHxHEIGHT} otherwise ({@code 1216x832} is landscape, 1216 wide and 832 tall), so
 * {@link #toString()} and {@link #parse} round-trip.
 */
public record ImageSize(int height, int width) implements Comparable<ImageSize> {
    private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,6})\\s*(?:[xX]\\s*(\\d{1,6})\\s*)?");

    public ImageSize {
        if (height <= 0 || width <= 0) throw new UserError("image size " + width + "x" + height + " px must be positive");
        if (height > SizeLimits.IMAGE_SIDE_PX || width > SizeLimits.IMAGE_SIDE_PX) {
            throw new UserError("image size " + width + "x" + height + " px is beyond attnbench's limit of "
                    + SizeLimits.IMAGE_SIDE_PX + " px a side (real models sample up to 4096 px)");
        }
    }

    public static ImageSize square(int px) {
        return new ImageSize(px, px);
    }

    /** {@code 1024} or {@code 1216x832} (width x height); anything else is a UserError saying so. */
    public static ImageSize parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new UserError("image size '" + text + "' is not PIXELS or WIDTHxHEIGHT (e.g. 1024 or 1216x832)");
        }
        int width = Integer.parseInt(m.group(1));
        return m.group(2) == null ? square(width) : new ImageSize(Integer.parseInt(m.group(2)), width);
    }

    public boolean isSquare() {
        return height == width;
    }

    /** Pixels, the quantity that orders sizes (then height, for a stable order). */
    public long pixels() {
        return (long) height * width;
    }

    /** This size multiplied by f on both sides, rounded to a multiple of {@code multiple}. */
    public ImageSize scaled(double f, int multiple) {
        return new ImageSize(round(height * f, multiple), round(width * f, multiple));
    }

    private static int round(double px, int multiple) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(multiple, Math.round(px / multiple) * multiple));
    }

    @Override
    public int compareTo(ImageSize o) {
        int c = Long.compare(pixels(), o.pixels());
        return c != 0 ? c : Integer.compare(height, o.height);
    }

    @Override
    public String toString() {
        return isSquare() ? Integer.toString(width) : width + "x" + height;
    }
}
