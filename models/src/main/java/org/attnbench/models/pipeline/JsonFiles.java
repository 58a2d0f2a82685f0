package org.attnbench.models.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.core.UserError;

/** JSON files of a pipeline folder, read whole; a missing or malformed one is a one-line user error. */
public final class JsonFiles {
    private JsonFiles() {}

    /** The file's top-level object; {@code what} names it in errors ("tokenizer config"). */
    public static JsonObject readObject(Path file, String what) {
        Path resolved = LinkStandIn.resolve(file);
        String text;
        try {
            text = Files.readString(resolved);
        } catch (IOException e) {
            throw new UserError("cannot read " + what + " " + file + ": " + e.getMessage());
        }
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) throw new UserError(what + " " + file + " is not a JSON object");
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new UserError(what + " " + file + " is not valid JSON: " + e.getMessage());
        }
    }
}
