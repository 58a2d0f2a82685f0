package org.attnbench.text.tokenizer;

/**
 * Keeps DJL's tokenizer libraries off the network: Hugging Face's tokenizers would otherwise ask a
 * cloud metadata address for telemetry the first time a tokenizer is made. The launcher and the
 * tests already set {@code ai.djl.offline}; a program that embeds this module may not have.
 */
final class DjlOffline {
    private DjlOffline() {}

    static void ensure() {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
    }
}
