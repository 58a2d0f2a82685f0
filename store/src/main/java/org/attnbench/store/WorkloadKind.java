package org.attnbench.store;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;

/** What a cell measures; stored and printed as its lower-case name ({@code attention}, {@code unet}, {@code ceiling}). */
public enum WorkloadKind {
    /** One self-attention sub-block of a transformer block. */
    @SerializedName("attention") ATTENTION,
    /** A denoising loop of a whole denoiser (UNet or diffusion transformer); stored as {@code unet}, its first one. */
    @SerializedName("unet") DENOISING,
    /** The machine's GEMM or copy limit. */
    @SerializedName("ceiling") CEILING;

    /** The kind written {@code name}, as rows and configs write it. */
    public static WorkloadKind of(String name) {
        for (WorkloadKind k : values()) if (k.toString().equals(name.toLowerCase(Locale.ROOT))) return k;
        throw new IllegalArgumentException("no workload kind '" + name + "'");
    }

    @Override
    public String toString() {
        return this == DENOISING ? "unet" : name().toLowerCase(Locale.ROOT);
    }
}
