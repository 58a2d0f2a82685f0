package org.attnbench.methods.step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.attnbench.methods.Methods;
import org.attnbench.methods.SpecParams;
import org.attnbench.methods.StepContext;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepMethod;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.AttentionModule;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm.ModuleOutputs;
import org.attnbench.tensor.HostTensor;

/**
 * Pyramid attention broadcast (Zhao et al., arXiv 2408.12588) as diffusers v0.40 defines it
 * ({@code hooks/pyramid_attention_broadcast.py}, {@code PyramidAttentionBroadcastConfig}): an
 * attention module reuses its last output, without running, on the steps its kind's skip range
 * leaves out while the timestep lies inside its kind's range.
 *
 * <p>Keys and defaults are the reference's, per kind (spatial, temporal, cross):
 * {@code <kind>_attention_block_skip_range} (unset: that kind is not hooked; with none set, as the
 * reference warns and does, {@code spatial_attention_block_skip_range=2}),
 * {@code <kind>_attention_timestep_skip_range} (written {@code 100..800}, the default) and
 * {@code <kind>_attention_block_identifiers} (regular expressions searched in diffusers' module
 * names, a list written as one alternation; spatial {@code blocks|transformer_blocks|single_transformer_blocks|layers|visual_transformer_blocks},
 * temporal {@code temporal_transformer_blocks}, cross {@code blocks|transformer_blocks|layers}).
 * The reference's {@code current_timestep_callback} is the loop's own timestep.
 *
 * <p>An attention module is spatial if its name matches the spatial identifiers, that range is set
 * and it is not a cross-attention ({@code is_cross_attention}); else temporal likewise; else cross
 * if it matches the cross identifiers, that range is set and it is a cross-attention. Every hooked
 * module is called once a step, so its call counter is the step i, and it computes iff i = 0, or
 * the timestep t is not strictly inside (low, high), or i mod range = 0; otherwise it reuses its
 * last output (after its out projection, before the block's gate and residual, which run with the
 * step's own conditioning). The counter runs whether or not t is in the range, so step 0 sets the
 * phase. What feeds only a reused module is not computed either (the reference computes it and
 * throws it away). A computed output is kept only where the next step reuses it.
 */
public record PyramidAttentionBroadcast(Kind spatial, Kind temporal, Kind cross) implements StepMethod {
    public static final Methods.Entry METHOD = new Methods.Entry("pab", "PAB", PyramidAttentionBroadcast::parse,
            PyramidAttentionBroadcast.class, List.of());
    private static final String KEPT = "pab.";

    /**
     * One kind of attention's settings.
     *
     * @param blockSkipRange compute every this many calls; 0: the kind is not hooked
     * @param low the timestep range's open lower end
     * @param high its open upper end
     * @param identifiers the expression searched in module names
     */
    public record Kind(int blockSkipRange, double low, double high, String identifiers) {
        public Kind {
            if (blockSkipRange < 0) throw new IllegalArgumentException("block skip range must be >= 1, or 0 for unset");
        }

        boolean hooked() {
            return blockSkipRange > 0;
        }

        /** Whether its modules compute at step i, timestep t. */
        boolean computes(int i, double t) {
            return i == 0 || !(low < t && t < high) || i % blockSkipRange == 0;
        }
    }

    static final Kind SPATIAL = new Kind(0, 100, 800, "blocks|transformer_blocks|single_transformer_blocks|layers|visual_transformer_blocks");
    static final Kind TEMPORAL = new Kind(0, 100, 800, "temporal_transformer_blocks");
    static final Kind CROSS = new Kind(0, 100, 800, "blocks|transformer_blocks|layers");

    public String family() {
        return METHOD.name();
    }

    public String canonical() {
        List<String> keys = new ArrayList<>();
        write(keys, "spatial", spatial, SPATIAL);
        write(keys, "temporal", temporal, TEMPORAL);
        write(keys, "cross", cross, CROSS);
        return "pab:" + String.join(",", keys);
    }

    private static void write(List<String> keys, String name, Kind k, Kind defaults) {
        if (!k.hooked()) return;
        keys.add(name + "_attention_block_skip_range=" + k.blockSkipRange());
        if (k.low() != defaults.low() || k.high() != defaults.high()) {
            keys.add(name + "_attention_timestep_skip_range=" + Variant.number(k.low()) + ".." + Variant.number(k.high()));
        }
        if (!k.identifiers().equals(defaults.identifiers())) keys.add(name + "_attention_block_identifiers=" + k.identifiers());
    }

    /** "PAB s=2 c=3". */
    public String label() {
        return "PAB" + (spatial.hooked() ? " s=" + spatial.blockSkipRange() : "") + (temporal.hooked() ? " t=" + temporal.blockSkipRange() : "")
                + (cross.hooked() ? " c=" + cross.blockSkipRange() : "");
    }

    /** Each hooked attention module's kind, in the network's order. */
    public Map<String, Kind> hooked(Denoiser model) {
        Map<String, Kind> out = new LinkedHashMap<>();
        for (AttentionModule m : model.attentionModules()) {
            Kind kind = kindOf(m);
            if (kind != null) out.put(m.name(), kind);
        }
        return out;
    }

    /** spatial, then temporal (self-attentions), then cross (cross-attentions), as the reference tries them; null if none. */
    private Kind kindOf(AttentionModule m) {
        if (spatial.hooked() && !m.crossAttention() && HookedModules.search(spatial.identifiers(), m.name())) return spatial;
        if (temporal.hooked() && !m.crossAttention() && HookedModules.search(temporal.identifiers(), m.name())) return temporal;
        if (cross.hooked() && m.crossAttention() && HookedModules.search(cross.identifiers(), m.name())) return cross;
        return null;
    }

    public void check(Denoiser model) {
        HookedModules.checkOffered("pab", model);
    }

    public StepPlan plan(Denoiser model, TokenMethod tokens, double[] timesteps) {
        return new Plan(tokens, timesteps, hooked(model), model);
    }

    /** Per step, the modules whose kind reuses are taken from the last step; those the next step reuses are kept. */
    private final class Plan implements StepPlan {
        private final TokenMethod tokens;
        private final Map<String, Integer> outputs = new LinkedHashMap<>();
        private final List<Set<String>> reused = new ArrayList<>();
        private final List<Set<String>> kept = new ArrayList<>();
        private final Map<StepGraph, Integer> graphs = new LinkedHashMap<>();

        Plan(TokenMethod tokens, double[] timesteps, Map<String, Kind> hooked, Denoiser model) {
            this.tokens = tokens;
            for (AttentionModule m : model.attentionModules()) {
                if (hooked.containsKey(m.name())) outputs.put(m.name(), m.outputs());
            }
            int n = timesteps.length;
            for (int i = 0; i < n; i++) {
                Set<String> r = new TreeSet<>();
                final int step = i;
                hooked.forEach((m, kind) -> {
                    if (!kind.computes(step, timesteps[step])) r.add(m);
                });
                reused.add(r);
            }
            for (int i = 0; i < n; i++) {
                Set<String> k = new TreeSet<>(i + 1 < n ? reused.get(i + 1) : Set.of());
                k.removeAll(reused.get(i));
                kept.add(k);
            }
            for (int i = 0; i < n; i++) graphs.merge(graph(i, timesteps[i]), 1, Integer::sum);
        }

        private StepGraph graph(int i, double timestep) {
            var patch = tokens.patchAt(timestep);
            if (reused.get(i).isEmpty() && kept.get(i).isEmpty()) return StepGraph.whole(patch);
            return new StepGraph(patch, new ModuleOutputs(kept.get(i), reused.get(i)));
        }

        public Map<StepGraph, Integer> graphs() {
            return graphs;
        }

        public void begin() {}

        public Outcome step(StepContext step) {
            int i = step.index();
            Map<String, HostTensor> extra = new LinkedHashMap<>();
            for (String m : reused.get(i)) {
                for (int s = 0; s < outputs.get(m); s++) {
                    String tensor = ModuleOutputs.tensor(m, s);
                    HostTensor last = step.kept(KEPT + tensor);
                    if (last == null) throw new IllegalStateException("PAB reuses " + m + " at step " + i + " before it ran");
                    extra.put(tensor, last);
                }
            }
            Map<String, HostTensor> out = step.run(graph(i, step.timestep()), extra);
            HookedModules.outputs(out).forEach((tensor, t) -> step.keep(KEPT + tensor, t));
            int hooked = outputs.size();
            if (reused.get(i).isEmpty()) return new Outcome(out.get(DenoiserIO.OUT_SAMPLE), StepKind.FULL, hooked == 0 ? "" : "computed " + hooked);
            return new Outcome(out.get(DenoiserIO.OUT_SAMPLE), StepKind.PARTIAL,
                    "computed " + (hooked - reused.get(i).size()) + ", reused " + reused.get(i).size());
        }
    }

    private static PyramidAttentionBroadcast parse(SpecParams p) {
        Kind s = kind(p, "spatial", SPATIAL), t = kind(p, "temporal", TEMPORAL), c = kind(p, "cross", CROSS);
        if (!s.hooked() && !t.hooked() && !c.hooked()) s = new Kind(2, s.low(), s.high(), s.identifiers());
        return new PyramidAttentionBroadcast(s, t, c);
    }

    private static Kind kind(SpecParams p, String name, Kind defaults) {
        String prefix = name + "_attention_";
        int range = p.positiveInt(prefix + "block_skip_range", 0, true);
        if (p.string(prefix + "block_skip_range", null) != null && range == 0) {
            throw p.bad(prefix + "block_skip_range", 0, "an integer >= 1");
        }
        String rangeKey = prefix + "timestep_skip_range";
        String interval = p.string(rangeKey, null);
        double low = defaults.low(), high = defaults.high();
        if (interval != null) {
            String[] ends = interval.split("\\.\\.", -1);
            try {
                if (ends.length != 2) throw new NumberFormatException();
                low = Double.parseDouble(ends[0].trim());
                high = Double.parseDouble(ends[1].trim());
            } catch (NumberFormatException e) {
                throw p.bad(rangeKey, interval, "two timesteps LOW..HIGH (the reference's default 100..800)");
            }
            if (!(low < high)) throw p.bad(rangeKey, interval, "LOW..HIGH with LOW below HIGH");
        }
        String identifiers = p.string(prefix + "block_identifiers", defaults.identifiers());
        HookedModules.pattern(p, prefix + "block_identifiers", identifiers);
        return new Kind(range, low, high, identifiers);
    }
}
