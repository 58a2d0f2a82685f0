package org.attnbench.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where attnbench may write. A file it writes is written beside its target and renamed over it,
 * so the target must be a regular file or nothing: renaming over a folder, a FIFO or a device
 * node would replace it (as root, a system device). Every writer checks here, and the command
 * line checks its output options before a command starts.
 */
public final class OutputFiles {
    private OutputFiles() {}

    /** A UserError unless {@code path} is a regular file, or absent in a folder (or a folder to be made). */
    public static void requireFile(Path path, String what) {
        String kind = kind(path);
        if (kind != null && !kind.equals("a regular file")) {
            throw new UserError(what + " " + path + " is " + kind + ", not a regular file: give the path of a file to write");
        }
        Path parent = path.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) parent = parent.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(what + " " + path + " lies under " + parent + ", which is not a folder");
        }
    }

    /** A UserError unless {@code path} is a folder or absent (it will be made). */
    public static void requireFolder(Path path, String what) {
        String kind = kind(path);
        if (kind != null && !kind.equals("a folder")) {
            throw new UserError(what + " " + path + " is " + kind + ", not a folder: give a folder's path");
        }
        Path parent = path.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) parent = parent.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(what + " " + path + " lies under " + parent + ", which is not a folder");
        }
    }

    /**
     * Moves a finished temporary file over {@code target} (atomically where the file system can),
     * after checking the target once more; the temporary file never outlives the call.
     */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            requireFile(target, "output");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** What is at {@code path} (following links), in words, or null when nothing is. */
    static String kind(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // nothing there (a dangling link, or a path under a file, which the parent check names), or something unreadable
            return !Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path) ? null
                    : "unreadable (" + Reasons.of(e) + ")";
        }
        if (a.isRegularFile()) return "a regular file";
        if (a.isDirectory()) return "a folder";
        return "a FIFO, socket or device";
    }
}
