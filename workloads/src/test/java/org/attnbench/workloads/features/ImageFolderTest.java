package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    static Path png(Path dir, String name, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, rgb);
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void imagesSortedByNameOtherFilesIgnored(@TempDir Path dir) throws IOException {
        png(dir, "b.PNG", 0);
        png(dir, "a.png", 0);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.createDirectory(dir.resolve("sub.png"));
        assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.PNG")), ImageFolder.list(dir));
    }

    @Test
    void aFolderWithoutImagesOrAnUndecodableImageIsOneUserError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        UserError none = assertThrows(UserError.class, () -> ImageFolder.list(dir));
        assertTrue(none.getMessage().endsWith("has no readable image (JPEG, PNG, BMP or GIF files)"), none.getMessage());
        Path broken = dir.resolve("broken.jpg");
        Files.writeString(broken, "not a JPEG");
        UserError bad = assertThrows(UserError.class, () -> ImageFolder.read(broken));
        assertTrue(bad.getMessage().startsWith("cannot read image " + broken), bad.getMessage());
        assertThrows(UserError.class, () -> ImageFolder.list(dir.resolve("missing")));
    }
}
