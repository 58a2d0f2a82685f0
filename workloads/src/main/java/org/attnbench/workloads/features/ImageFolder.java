package org.attnbench.workloads.features;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.attnbench.core.UserError;

/**
 * The images of a folder: its files (not subfolders) whose names end in an extension
 * javax.imageio reads (JPEG, PNG, BMP, GIF), sorted by name, which is the order of the feature
 * rows. Other files are ignored; an image file that does not decode is an error naming it, so a
 * feature set never silently misses an image.
 */
public final class ImageFolder {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private ImageFolder() {}

    public static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) throw new UserError("images folder " + dir + " does not exist or is not a folder");
        List<Path> images;
        try (Stream<Path> files = Files.list(dir)) {
            images = files.filter(Files::isRegularFile).filter(ImageFolder::hasImageExtension).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list images folder " + dir + ": " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new UserError("images folder " + dir + " has no readable image (JPEG, PNG, BMP or GIF files)");
        }
        return images;
    }

    static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Decodes one image; a file javax.imageio cannot decode is a UserError naming it. */
    public static BufferedImage read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new UserError("cannot read image " + file + ": not a format javax.imageio decodes");
        return img;
    }
}
