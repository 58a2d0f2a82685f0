package org.attnbench.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.attnbench.core.UserError;

/** The nature photographs of Debian's mate-backgrounds, the source of realistic token maps. */
public final class Photos {
    public static final Path FOLDER = Path.of("/usr/share/backgrounds/mate/nature");

    private Photos() {}

    /** The photos in name order; batch element b of an input uses photo b. */
    public static List<Path> all() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            List<Path> photos = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            if (photos.isEmpty()) throw new IOException("no .jpg files");
            return photos;
        } catch (IOException e) {
            throw new UserError("inputs: photos needs the photographs in " + FOLDER
                    + " (apt-get install mate-backgrounds): " + e.getMessage());
        }
    }

    /** The photos rotated left by {@code s}, so fidelity sample s starts from another photo. */
    static List<Path> rotated(int s) {
        List<Path> photos = new ArrayList<>(all());
        Collections.rotate(photos, -s);
        return photos;
    }
}
