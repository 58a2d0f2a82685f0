package org.attnbench.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** A reader of ustar archives with PAX headers (what Jib and {@code docker save} write), enough to check an image. */
final class Tar {
    private Tar() {}

    /**
     * One member.
     *
     * @param type the typeflag: '0' a file, '5' a folder, '2' a link
     */
    record Member(String path, int mode, byte type, byte[] content) {}

    /** Calls back for every member, its path without a leading "/" or "./". */
    static void read(InputStream in, Consumer<Member> each) throws IOException {
        String paxPath = null;
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || allZero(header)) return;
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            int mode = (int) octal(header, 100, 8);
            long size = octal(header, 124, 12);
            byte type = header[156] == 0 ? (byte) '0' : header[156];
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (type == 'x') {
                paxPath = paxValue(new String(content, StandardCharsets.UTF_8), "path");
                continue;
            }
            if (type == 'g') continue;
            String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
            paxPath = null;
            path = path.replaceFirst("^\\./", "").replaceFirst("^/+", "").replaceFirst("/$", "");
            each.accept(new Member(path, mode, type, content));
        }
    }

    /** A PAX record's value ("NN key=value\n" records), or null. */
    private static String paxValue(String records, String key) {
        for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            int eq = line.indexOf('=');
            if (space > 0 && eq > space && line.substring(space + 1, eq).equals(key)) return line.substring(eq + 1);
        }
        return null;
    }

    private static String field(byte[] h, int at, int len) {
        int end = at;
        while (end < at + len && h[end] != 0) end++;
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int at, int len) {
        String s = field(h, at, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
