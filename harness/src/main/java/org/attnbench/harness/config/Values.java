package org.attnbench.harness.config;

import java.util.List;
import java.util.Optional;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.core.Suggest;
import org.attnbench.core.UserError;
import org.attnbench.methods.Variant;
import org.attnbench.tensor.DType;

/** The single values a config names: grids, variants, backends, devices, dtypes; a problem at the node when one is wrong. */
final class Values {
    static final List<DType> DTYPES = List.of(DType.FLOAT32, DType.FLOAT16);

    private Values() {}

    /** A grid as written (normalized to HxW), checked to stay a grid when scaled. */
    static Optional<String> grid(ConfigNode n, double scale) {
        return n.string().flatMap(g -> n.attempt(() -> {
            Scale.grid(g, scale);
            return Scale.grid(g, 1.0);
        }));
    }

    static Optional<Variant> variant(ConfigNode n) {
        return n.string().flatMap(s -> n.attempt(() -> Variant.parse(s)));
    }

    static Optional<String> backend(ConfigNode n) {
        List<String> names = Backends.all().stream().map(Backend::name).toList();
        return n.string().flatMap(b -> {
            if (names.contains(b)) return Optional.of(b);
            n.problem("unknown backend '" + b + "'" + Suggest.hint(b, names) + "; available: " + String.join(", ", names));
            return Optional.empty();
        });
    }

    static Optional<Device> device(ConfigNode n) {
        return n.string().flatMap(d -> n.attempt(() -> Device.parse(d)));
    }

    static Optional<DType> dtype(ConfigNode n) {
        return n.string().flatMap(d -> n.attempt(() -> {
            DType t;
            try {
                t = DType.parse(d);
            } catch (IllegalArgumentException e) {
                t = null;
            }
            if (t == null || !DTYPES.contains(t)) throw new UserError("dtype '" + d + "' is not a compute dtype: use float32 or float16");
            return t;
        }));
    }
}
