package org.attnbench.methods.token;

import java.util.Arrays;
import java.util.Locale;

/**
 * How ToDo shrinks the h x w token grid by an integer factor f to (h / f) x (w / f) (floor).
 *
 * <p>The interpolating methods follow {@code torch.nn.functional.interpolate(x, size=(h // f,
 * w // f), mode=...)}, i.e. the ToDo reference code, which passes an explicit output size; the
 * pooling methods follow {@code F.avg_pool2d} / {@code F.max_pool2d} with kernel = stride = f.
 * See {@link ReferenceDownsample} for the exact index arithmetic.
 */
public enum DownsampleMethod {
    /** PyTorch {@code nearest}: source index {@code min(floor(dst * in/out), in - 1)}. */
    NEAREST("nearest"),
    /** PyTorch {@code nearest-exact}: source index {@code min(floor((dst + 0.5) * in/out), in - 1)}. */
    NEAREST_EXACT("nearest-exact"),
    /** PyTorch {@code bilinear}, align_corners=False, antialias off. */
    BILINEAR("bilinear"),
    /** PyTorch {@code bicubic} (A = -0.75), align_corners=False, antialias off, edges clamped. */
    BICUBIC("bicubic"),
    /** PyTorch {@code area}, which is adaptive average pooling to the output size. */
    AREA("area"),
    /** {@code F.avg_pool2d(kernel_size=f, stride=f)}: mean of each f x f cell. */
    AVG_POOL("avg_pool"),
    /** {@code F.max_pool2d(kernel_size=f, stride=f)}: per-channel max of each f x f cell. */
    MAX_POOL("max_pool");

    private final String specName;

    DownsampleMethod(String specName) {
        this.specName = specName;
    }

    /** The name used by the ToDo reference code and in attnbench spec strings. */
    public String specName() {
        return specName;
    }

    /** Looks a method up by its spec name ({@code nearest-exact}, {@code avg_pool}, ...). */
    public static DownsampleMethod fromSpecName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (DownsampleMethod m : values()) {
            if (m.specName.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown ToDo downsample method '" + name + "'; known: "
                + Arrays.stream(values()).map(DownsampleMethod::specName).toList());
    }
}
