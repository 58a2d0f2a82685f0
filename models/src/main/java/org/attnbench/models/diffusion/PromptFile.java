package org.attnbench.models.diffusion;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.attnbench.core.UserError;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Prompt states in a safetensors file, in one of two layouts, read strictly: every tensor must be
 * one the layout names (a file of other tensors, a latents file say, is refused rather than taken
 * for prompt states), shapes must agree, and the prompt's values must be finite.
 *
 * <ul>
 *   <li>{@code encode-prompts}' layout, the pipelines' own names: {@code prompt_embeds} [P, L, D],
 *       optional {@code negative_prompt_embeds} (same shape), {@code pooled_prompt_embeds} and
 *       {@code negative_pooled_prompt_embeds} [P, D'], {@code prompt_attention_mask} and
 *       {@code negative_prompt_attention_mask} [P, L] integers 0/1; {@code input_ids},
 *       {@code input_ids_2}, {@code input_ids_3} are allowed and ignored. One of the P prompts is taken.</li>
 *   <li>the older layout: {@code cond} [1, L, D], optional {@code uncond}, {@code pooled} [1, D'],
 *       optional {@code uncond_pooled}.</li>
 * </ul>
 *
 * A missing negative tensor is zeros (and a missing mask all ones), as the seeded draw has it.
 */
final class PromptFile {
    static final String PROMPT_EMBEDS = "prompt_embeds";
    static final String POOLED_PROMPT_EMBEDS = "pooled_prompt_embeds";
    static final String PROMPT_ATTENTION_MASK = "prompt_attention_mask";
    static final String COND = "cond";

    private record Layout(String states, String negativeStates, String pooled, String negativePooled, String mask,
            String negativeMask, List<String> ignored) {
        List<String> names() {
            List<String> out = new ArrayList<>();
            for (String n : new String[] {states, negativeStates, pooled, negativePooled, mask, negativeMask}) {
                if (n != null) out.add(n);
            }
            out.addAll(ignored);
            return out;
        }
    }

    private static final Layout ENCODED = new Layout(PROMPT_EMBEDS, "negative_prompt_embeds", POOLED_PROMPT_EMBEDS,
            "negative_pooled_prompt_embeds", PROMPT_ATTENTION_MASK, "negative_prompt_attention_mask",
            List.of("input_ids", "input_ids_2", "input_ids_3"));
    private static final Layout OLDER = new Layout(COND, "uncond", "pooled", "uncond_pooled", null, null, List.of());

    private PromptFile() {}

    /** Prompt {@code index} of the file, in whichever layout it is written. */
    static Conditioning read(Path file, int index) {
        if (!Files.isRegularFile(file)) throw new UserError("embeddings file not found: " + file);
        Map<String, HostTensor> t = Safetensors.read(file);
        Layout layout = t.containsKey(PROMPT_EMBEDS) ? ENCODED : t.containsKey(COND) ? OLDER : null;
        if (layout == null) {
            throw new UserError(file + " holds no prompt states: it has " + String.join(", ", new TreeSet<>(t.keySet()))
                    + "; expected '" + PROMPT_EMBEDS + "' (encode-prompts) or '" + COND + "'");
        }
        return parse(t, index, file.toString(), layout);
    }

    /** Prompt {@code index} of host tensors in {@code encode-prompts}' layout; {@code where} names them in messages. */
    static Conditioning encoded(Map<String, HostTensor> tensors, int index, String where) {
        if (!tensors.containsKey(PROMPT_EMBEDS)) {
            throw new UserError(where + " has no tensor '" + PROMPT_EMBEDS + "' (it has "
                    + String.join(", ", new TreeSet<>(tensors.keySet())) + ")");
        }
        return parse(tensors, index, where, ENCODED);
    }

    private static Conditioning parse(Map<String, HostTensor> t, int index, String where, Layout layout) {
        for (String name : new TreeSet<>(t.keySet())) {
            if (!layout.names().contains(name)) {
                throw new UserError(where + " has a tensor '" + name + "' that is not prompt states; its layout names "
                        + String.join(", ", layout.names()));
            }
        }
        HostTensor states = t.get(layout.states());
        long[] s = states.shape();
        if (s.length != 3 || s[0] < 1 || s[1] < 1 || s[2] < 1 || (layout == OLDER && s[0] != 1)) {
            throw new UserError(describe(layout.states(), where, states) + ", expected "
                    + (layout == OLDER ? "[1, L, D]" : "[P, L, D]") + " (prompts, tokens, width)");
        }
        floating(layout.states(), where, states);
        int prompts = (int) s[0], tokens = (int) s[1], dim = (int) s[2];
        if (index < 0 || index >= prompts) {
            throw new UserError("prompt index " + index + " is out of range: " + where + " holds " + prompts
                    + (prompts == 1 ? " prompt (index 0)" : " prompts (0 to " + (prompts - 1) + ")"));
        }
        String source = prompts > 1 || index > 0 ? where + " (prompt " + index + ")" : where;
        float[] cond = floats(layout.states(), where, states, index);
        float[] uncond = optional(t, layout.negativeStates(), where, s, layout.states(), index, new float[tokens * dim]);
        float[] pooled = null, uncondPooled = null;
        String pooledLabel = null;
        HostTensor p = t.get(layout.pooled());
        if (p != null) {
            long[] ps = p.shape();
            if (ps.length != 2 || ps[0] != prompts || ps[1] < 1) {
                throw new UserError(describe(layout.pooled(), where, p) + ", expected [" + prompts + ", D'] (one pooled "
                        + "embedding per prompt of '" + layout.states() + "')");
            }
            floating(layout.pooled(), where, p);
            pooled = floats(layout.pooled(), where, p, index);
            uncondPooled = optional(t, layout.negativePooled(), where, ps, layout.pooled(), index, new float[pooled.length]);
            pooledLabel = describe(layout.pooled(), where, p);
        } else if (t.containsKey(layout.negativePooled())) {
            throw new UserError(where + " has '" + layout.negativePooled() + "' but no '" + layout.pooled() + "'");
        }
        long[] mask = null, uncondMask = null;
        if (layout.mask() != null && t.containsKey(layout.mask())) {
            long[] ms = {prompts, tokens};
            mask = mask(layout.mask(), where, t.get(layout.mask()), ms, layout.states(), index);
            HostTensor negative = t.get(layout.negativeMask());
            if (negative == null && t.containsKey(layout.negativeStates())) {
                throw new UserError(where + " has '" + layout.negativeStates() + "' and '" + layout.mask() + "' but no '"
                        + layout.negativeMask() + "' for the negative prompt");
            }
            uncondMask = negative == null ? null : mask(layout.negativeMask(), where, negative, ms, layout.states(), index);
        } else if (layout.negativeMask() != null && t.containsKey(layout.negativeMask())) {
            throw new UserError(where + " has '" + layout.negativeMask() + "' but no '" + layout.mask() + "'");
        }
        return new Conditioning(cond, uncond, dim, source, pooled, uncondPooled, null, mask, uncondMask,
                new Conditioning.Labels(describe(layout.states(), where, states), pooledLabel));
    }

    /** The tensor {@code name} of the shape {@code shape} (that of {@code like}), row {@code index}; else {@code absent}. */
    private static float[] optional(Map<String, HostTensor> t, String name, String where, long[] shape, String like, int index,
            float[] absent) {
        HostTensor x = t.get(name);
        if (x == null) return absent;
        if (!Arrays.equals(x.shape(), shape)) {
            throw new UserError(describe(name, where, x) + ", expected " + Arrays.toString(shape) + " (the shape of '" + like + "')");
        }
        floating(name, where, x);
        return floats(name, where, x, index);
    }

    private static long[] mask(String name, String where, HostTensor m, long[] shape, String states, int index) {
        if (!Arrays.equals(m.shape(), shape)) {
            throw new UserError(describe(name, where, m) + ", expected " + Arrays.toString(shape) + " (prompts and tokens of '"
                    + states + "')");
        }
        if (m.dtype().isFloatingPoint() || m.dtype() == DType.BOOL) {
            throw new UserError("'" + name + "' in " + where + " is " + m.dtype() + ", expected integers 0 and 1 (int64)");
        }
        long[] row = row(m, index).toLongs();
        for (long v : row) {
            if (v != 0 && v != 1) throw new UserError("'" + name + "' in " + where + " holds " + v + ", expected only 0 and 1");
        }
        return row;
    }

    private static void floating(String name, String where, HostTensor x) {
        if (!x.dtype().isFloatingPoint()) throw new UserError("'" + name + "' in " + where + " is " + x.dtype() + ", expected floats");
    }

    /** Row {@code index} of {@code x} as float32; a UserError if it holds NaN or an infinity. */
    private static float[] floats(String name, String where, HostTensor x, int index) {
        float[] v = row(x, index).toDType(DType.FLOAT32).toFloats();
        for (float f : v) {
            if (!Float.isFinite(f)) {
                throw new UserError("'" + name + "' in " + where + " holds " + f + (x.shape()[0] > 1 ? " in prompt " + index : "")
                        + ": prompt states must be finite (encode the prompts again)");
            }
        }
        return v;
    }

    /** Entry {@code index} of the first axis, without copying the others. */
    private static HostTensor row(HostTensor x, int index) {
        long[] shape = Arrays.copyOfRange(x.shape(), 1, x.rank());
        int bytes = Math.toIntExact(HostTensor.numel(shape) * x.dtype().byteSize());
        ByteBuffer data = x.data().position(index * bytes).limit((index + 1) * bytes);
        return new HostTensor(x.dtype(), shape, data);
    }

    private static String describe(String name, String where, HostTensor x) {
        return "embeddings '" + name + "' in " + where + " have shape " + Arrays.toString(x.shape());
    }
}
