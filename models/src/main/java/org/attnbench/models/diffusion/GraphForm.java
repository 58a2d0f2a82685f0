package org.attnbench.models.diffusion;

/**
 * Which part of a denoiser one graph computes, and the named tensors it takes and gives besides the
 * model's own ({@link org.attnbench.models.DenoiserIO}): the forms a network offers the methods that
 * work across steps, so that a method can run a part of the model and carry a tensor from one step
 * to the next. A network refuses, in one line, a form it does not offer.
 */
public sealed interface GraphForm {
    /** The whole model: the denoiser's inputs to its prediction. */
    GraphForm WHOLE = new Whole();

    /** A few words for step and graph labels; empty for the whole model. */
    String describe();

    /** The whole model. */
    record Whole() implements GraphForm {
        public String describe() {
            return "";
        }
    }

    /**
     * A UNet around one skip branch (DeepCache's): {@code deep} is the whole model that also gives
     * {@link #FEATURE}, the hidden state its up path takes at the branch; the shallow form takes that
     * feature instead of computing it and runs only what the branch leaves: the time embedding,
     * conv_in, the down path up to the branch (its skips) and the up path from the branch on.
     * The branch is DeepCache's: down block {@code block} from the top, its layers before
     * {@code layer}; in the up path, the block as many from the end, its layers from the
     * {@code layer}-th last on.
     */
    record SkipBranch(int block, int layer, boolean shallow) implements GraphForm {
        /** The up path's hidden state at the branch, [B, C, h, w]. */
        public static final String FEATURE = "branch_feature";

        public String describe() {
            return (shallow ? "shallow" : "deep") + " at branch " + block + "." + layer;
        }
    }

    /**
     * A diffusion transformer split after its first block (first-block caching's): the head runs the
     * embeddings and the first block and gives its output ({@link #HIDDEN}; an MMDiT also its text
     * stream), the first block's residual on the image stream ({@link #RESIDUAL}, output minus
     * input) and what the other blocks need (names starting {@link #STATE}); the tail takes every
     * head output but the residual, runs the other blocks and the output layers and also gives its
     * residual ({@link #TAIL_RESIDUAL}, the last block's output minus the head's); the cached tail
     * runs only the output layers on the head's output plus a tail residual it is given.
     */
    record FirstBlock(Part part) implements GraphForm {
        public enum Part { HEAD, TAIL, CACHED_TAIL }

        public static final String HIDDEN = "head_hidden";
        public static final String RESIDUAL = "head_residual";
        public static final String TAIL_RESIDUAL = "tail_residual";
        /** The prefix of the head's other outputs: embeddings and streams the tail takes as they are. */
        public static final String STATE = "head_state_";

        public String describe() {
            return switch (part) {
                case HEAD -> "first block";
                case TAIL -> "other blocks";
                case CACHED_TAIL -> "cached residual";
            };
        }
    }

    /**
     * The whole model with some of its attention modules' outputs carried across steps (TaylorSeer's,
     * pyramid attention broadcast's): a module in {@code given} does not run, its outputs are inputs
     * of the graph, and what fed only that module is not computed either; a module in {@code kept}
     * runs and its outputs are outputs of the graph too. Modules go by their diffusers names
     * ({@code transformer_blocks.3.attn1}), among those the network lists ({@link AttentionModule});
     * each output tensor is named by {@link #tensor}. Every other module runs as in the whole model,
     * so with nothing given the graph computes exactly what the whole model does.
     */
    record ModuleOutputs(java.util.SortedSet<String> kept, java.util.SortedSet<String> given) implements GraphForm {
        /** The prefix of every module output's tensor name. */
        public static final String PREFIX = "module_output.";

        public ModuleOutputs {
            kept = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(kept));
            given = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(given));
            for (String m : kept) {
                if (given.contains(m)) throw new IllegalArgumentException("module " + m + " both kept and given");
            }
        }

        public ModuleOutputs(java.util.Collection<String> kept, java.util.Collection<String> given) {
            this(new java.util.TreeSet<>(kept), new java.util.TreeSet<>(given));
        }

        /**
         * The name of a module's output {@code stream}: 0 is its image tokens' (diffusers' first
         * output), 1 its text tokens' where the module gives them (an MMDiT's joint attention).
         */
        public static String tensor(String module, int stream) {
            return PREFIX + module + (stream == 0 ? "" : "#" + stream);
        }

        /**
         * How many modules it keeps and takes, and a hash of which, so that two forms describe alike
         * only when they are the same.
         */
        public String describe() {
            String which = String.join(",", kept) + "|" + String.join(",", given);
            return String.format(java.util.Locale.ROOT, "keeps %d, takes %d attention outputs #%08x", kept.size(), given.size(),
                    which.hashCode());
        }
    }
}
