package org.attnbench.models.attention;

import java.util.Arrays;
import org.attnbench.core.UserError;

/** How ToDo downsamples the key/value source on the latent grid (PyTorch F.interpolate / pooling semantics). */
public enum DownsampleMethod {
    /** Source index floor(i * in/out): the top-left token of each cell when f divides the grid. */
    NEAREST("nearest"),
    /** Source index floor((i + 0.5) * in/out): the reference code's default. */
    NEAREST_EXACT("nearest-exact"),
    AVG_POOL("avg_pool"),
    MAX_POOL("max_pool"),
    /** Bilinear with align_corners=False and no antialiasing. */
    BILINEAR("bilinear");

    private final String id;

    DownsampleMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    static DownsampleMethod parse(String spec, String text) {
        for (DownsampleMethod m : values()) {
            if (m.id.equalsIgnoreCase(text)) return m;
        }
        throw new UserError("variant '" + spec + "': unknown method '" + text + "': use one of "
                + String.join(", ", Arrays.stream(values()).map(DownsampleMethod::id).toList()));
    }
}
