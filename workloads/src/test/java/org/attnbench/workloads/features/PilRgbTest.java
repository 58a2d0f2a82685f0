package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.attnbench.safetensors.SafetensorsFile;
import org.junit.jupiter.api.Test;

/**
 * Images read as PIL's Image.open(f).convert("RGB") reads them (decode.json: the sha256 of PIL's
 * bytes, by make_goldens.py): RGB, grayscale, RGBA, palette and 16-bit grayscale PNGs exactly;
 * the JPEG within a level or two, since javax.imageio and libjpeg-turbo decode differently.
 */
class PilRgbTest {
    @Test
    void everyPngDecodesToPilsBytes() throws IOException {
        JsonObject expected = JsonParser.parseString(Files.readString(FidelityGoldens.file("decode.json"))).getAsJsonObject();
        int checked = 0;
        for (Path image : FidelityGoldens.images()) {
            if (!image.toString().endsWith(".png")) continue;
            JsonObject e = expected.getAsJsonObject(image.getFileName().toString());
            BufferedImage img = ImageFolder.read(image);
            assertEquals(e.get("width").getAsInt(), img.getWidth());
            assertEquals(e.get("height").getAsInt(), img.getHeight());
            assertEquals(e.get("sha256").getAsString(), sha256(interleaved(PilRgb.planes(img))), image.getFileName().toString());
            checked++;
        }
        assertEquals(7, checked);
    }

    @Test
    void theJpegIsWithinTwoLevelsOfPils() {
        Path jpeg = FidelityGoldens.dir().resolve("images/h_photo_96x72.jpg");
        byte[] mine = interleaved(PilRgb.planes(ImageFolder.read(jpeg)));
        byte[] pil;
        try (SafetensorsFile f = SafetensorsFile.open(FidelityGoldens.file("decode-jpeg.safetensors"))) {
            pil = f.tensor("rgb").toByteArray();
        }
        assertEquals(pil.length, mine.length);
        int worst = 0;
        for (int i = 0; i < pil.length; i++) worst = Math.max(worst, Math.abs((pil[i] & 0xff) - (mine[i] & 0xff)));
        assertTrue(worst <= 2, "largest difference " + worst + " levels");
    }

    /** [h, w, 3] bytes, numpy's layout of a decoded image. */
    static byte[] interleaved(float[][] planes) {
        int n = planes[0].length;
        byte[] out = new byte[3 * n];
        for (int i = 0; i < n; i++) for (int c = 0; c < 3; c++) out[3 * i + c] = (byte) (int) planes[c][i];
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
