package org.attnbench.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.core.Reasons;
import org.attnbench.core.UserError;

/**
 * A model's config.json as text: a bundled one by name (a resource {@code /FOLDER/NAME.json}) or a
 * file by path, with a one-line error for a name that is neither.
 *
 * @param name the bundled name, or the path as given
 */
public record ConfigText(String name, String text) {

    public static ConfigText read(String nameOrPath, String folder, List<String> bundled) {
        if (bundled.contains(nameOrPath)) {
            try (InputStream in = ConfigText.class.getResourceAsStream("/" + folder + "/" + nameOrPath + ".json")) {
                return new ConfigText(nameOrPath, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("bundled config " + nameOrPath + " is unreadable", e);
            }
        }
        Path path = Path.of(nameOrPath);
        try {
            return new ConfigText(path.toString(), Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new UserError("model '" + nameOrPath + "' is neither a bundled config (" + String.join(", ", bundled)
                    + ") nor an existing config.json");
        } catch (IOException e) {
            throw new UserError("cannot read " + nameOrPath + ": " + Reasons.of(e));
        }
    }
}
