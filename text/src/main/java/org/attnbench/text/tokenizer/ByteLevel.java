package org.attnbench.text.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's and CLIP's {@code bytes_to_unicode}: every byte as a printable character, so BPE works on
 * text. The printable Latin-1 bytes stand for themselves; the other 68 take the characters from
 * U+0100 up, in byte order.
 */
final class ByteLevel {
    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[512];

    static {
        Arrays.fill(BYTE_OF_CHAR, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevel() {}

    /** The text's UTF-8 bytes, one character each. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) out.append(CHAR_OF_BYTE[b & 0xFF]);
        return out.toString();
    }

    /** The bytes the characters stand for; characters that stand for none are left out. */
    static byte[] decode(String symbols) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(symbols.length());
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            if (c < BYTE_OF_CHAR.length && BYTE_OF_CHAR[c] >= 0) out.write(BYTE_OF_CHAR[c]);
        }
        return out.toByteArray();
    }
}
