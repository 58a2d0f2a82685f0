package org.attnbench.models.unet;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A weight source that hands out one float32 tensor per name, however many graphs ask: the
 * graphs of ToDo's timestep schedule, the fidelity pass and each batch size are built from the
 * same host tensors, so a backend that keys its device copies by tensor ({@code onnxruntime} and
 * {@code djl} both do) holds each weight once. Random weights are drawn once, fp16 checkpoints
 * widened once.
 */
public final class SharedWeights implements WeightSource {
    private final WeightSource source;
    private final Map<String, Optional<HostTensor>> tensors = new ConcurrentHashMap<>();

    private SharedWeights(WeightSource source) {
        this.source = source;
    }

    /** {@code source} shared; a source that already is one is returned as it is. */
    public static SharedWeights of(WeightSource source) {
        return source instanceof SharedWeights s ? s : new SharedWeights(source);
    }

    @Override
    public Optional<HostTensor> tensor(String name) {
        return source.tensor(name);
    }

    @Override
    public Optional<HostTensor> tensor(String name, long[] shape) {
        return tensors.computeIfAbsent(name, n -> source.tensor(n, shape)
                .map(t -> t.dtype().isFloatingPoint() ? t.toDType(DType.FLOAT32) : t));
    }

    @Override
    public Set<String> names() {
        return source.names();
    }

    @Override
    public String describe() {
        return source.describe();
    }

    /** Forgets the tensors; the source stays open (its owner closes it). */
    @Override
    public void close() {
        tensors.clear();
    }
}
