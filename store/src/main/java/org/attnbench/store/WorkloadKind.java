package org.attnbench.store;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;

/** What a cell measures; stored and printed as its lower-case name ({@code attention}, {@code unet}, {@code ceiling}). */
public enum WorkloadKind {
    /** One self-attention sub-block of a transformer block. */
    @SerializedName("attention") ATTENTION,
    /** A denoising loop of a whole UNet. */
    @SerializedName("unet") UNET,
    /** The machine's GEMM or copy limit. */
    @SerializedName("ceiling") CEILING;

    /** The kind written {@code name}, as rows and configs write it. */
    public static WorkloadKind of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
