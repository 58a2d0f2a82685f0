package org.attnbench.models.inputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenMapsTest {

    private static final Path NATURE = Path.of("/usr/share/backgrounds/mate/nature");

    private static Path photo(String name) {
        Path p = NATURE.resolve(name);
        assumeTrue(Files.isReadable(p), "mate-backgrounds photo missing: " + p);
        return p;
    }

    private static void assertFiniteShape(double[][][] x, int b, int n, int c) {
        assertEquals(b, x.length);
        for (double[][] element : x) {
            assertEquals(n, element.length);
            for (double[] token : element) {
                assertEquals(c, token.length);
                for (double v : token) {
                    assertTrue(Double.isFinite(v));
                }
            }
        }
    }

    private static void assertSame3d(double[][][] a, double[][][] b) {
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                assertArrayEquals(a[i][t], b[i][t], 0.0);
            }
        }
    }

    @Test
    void gaussianMapsAreSeeded() {
        double[][][] a = TokenMaps.gaussian(1, 2, 3, 4, 5);
        assertFiniteShape(a, 2, 12, 5);
        assertSame3d(a, TokenMaps.gaussian(1, 2, 3, 4, 5));
        assertTrue(a[0][0][0] != TokenMaps.gaussian(2, 2, 3, 4, 5)[0][0][0]);
    }

    @Test
    void photoMapsAreDeterministicFiniteAndPhotoDependent() throws IOException {
        Path dune = photo("Dune.jpg");
        Path meadow = photo("GreenMeadow.jpg"); // progressive JPEG
        double[][][] a = TokenMaps.fromImage(dune, 3, 2, 8, 8, 6);
        assertFiniteShape(a, 2, 64, 6);
        assertSame3d(a, TokenMaps.fromImage(dune, 3, 2, 8, 8, 6));
        assertSame3d(new double[][][] {a[0]}, new double[][][] {a[1]}); // one photo: same per element
        double[][][] b = TokenMaps.fromImage(meadow, 3, 1, 8, 8, 6);
        double diff = 0;
        for (int t = 0; t < 64; t++) {
            for (int k = 0; k < 6; k++) {
                diff = Math.max(diff, Math.abs(a[0][t][k] - b[0][t][k]));
            }
        }
        assertTrue(diff > 0.1, "two different photos gave nearly the same map: " + diff);
    }

    @Test
    void photoWhoseSizeIsNoMultipleOfTheGrid() throws IOException {
        // FreshFlower.jpg is 1600 x 1203; 1203 = 3 * 401 and 1600 are multiples of neither 7 nor 9.
        double[][][] x = TokenMaps.fromImage(photo("FreshFlower.jpg"), 4, 1, 7, 9, 3);
        assertFiniteShape(x, 1, 63, 3);
    }

    @Test
    void areaResizeWeighsPartlyCoveredPixels(@TempDir Path dir) throws IOException {
        // 5 x 3 image: red = 50 * col, green = 100 * row, blue = 0; resized to 2 x 2.
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                img.setRGB(x, y, (50 * x) << 16 | (100 * y) << 8);
            }
        }
        Path png = dir.resolve("ramp.png");
        ImageIO.write(img, "png", png.toFile());
        double[][] rgb = TokenMaps.rgbGrid(ImageIO.read(png.toFile()), 2, 2);
        // Columns: output 0 covers [0, 2.5) -> weights 0.4, 0.4, 0.2; output 1 covers [2.5, 5).
        // Rows: output 0 covers [0, 1.5) -> weights 2/3, 1/3; output 1 covers [1.5, 3).
        double red0 = 0.4 * 0 + 0.4 * 50 + 0.2 * 100;
        double red1 = 0.2 * 100 + 0.4 * 150 + 0.4 * 200;
        double green0 = 100.0 / 3;
        double green1 = 100.0 / 3 + 2 * 200.0 / 3;
        assertArrayEquals(new double[] {red0 / 127.5 - 1, green0 / 127.5 - 1, -1}, rgb[0], 1e-12);
        assertArrayEquals(new double[] {red1 / 127.5 - 1, green0 / 127.5 - 1, -1}, rgb[1], 1e-12);
        assertArrayEquals(new double[] {red0 / 127.5 - 1, green1 / 127.5 - 1, -1}, rgb[2], 1e-12);
        assertArrayEquals(new double[] {red1 / 127.5 - 1, green1 / 127.5 - 1, -1}, rgb[3], 1e-12);
    }

    @Test
    void boxWeightsSumToOne() {
        for (int[] io : new int[][] {{1203, 7}, {1600, 9}, {5, 2}, {3, 3}, {2, 5}}) {
            for (double[] row : TokenMaps.boxWeights(io[0], io[1])) {
                double sum = 0;
                for (double v : row) {
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-12);
            }
        }
    }

    @Test
    void severalPhotosCycleOverTheBatch() throws IOException {
        Path a = photo("Storm.jpg");
        Path b = photo("Wood.jpg");
        double[][][] x = TokenMaps.fromImage(List.of(a, b), 5, 3, 4, 4, 2);
        assertSame3d(new double[][][] {x[0]}, TokenMaps.fromImage(a, 5, 1, 4, 4, 2));
        assertSame3d(new double[][][] {x[1]}, TokenMaps.fromImage(b, 5, 1, 4, 4, 2));
        assertSame3d(new double[][][] {x[2]}, new double[][][] {x[0]});
        assertThrows(IllegalArgumentException.class, () -> TokenMaps.fromImage(List.of(), 5, 1, 4, 4, 2));
    }

    @Test
    void unreadableFileIsAnIoError(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.jpg");
        Files.writeString(junk, "not an image");
        assertThrows(IOException.class, () -> TokenMaps.fromImage(junk, 1, 1, 2, 2, 2));
    }

    @Test
    void flattenIsRowMajorBnc() {
        double[][][] x = TokenMaps.gaussian(6, 2, 2, 3, 4);
        float[] flat = TokenMaps.flatten(x);
        assertEquals(2 * 6 * 4, flat.length);
        assertEquals((float) x[1][5][3], flat[(1 * 6 + 5) * 4 + 3]);
        assertEquals((float) x[0][2][1], flat[(0 * 6 + 2) * 4 + 1]);
        double[][][] back = TokenMaps.unflatten(flat, 2, 6, 4);
        assertEquals((float) x[1][4][2], (float) back[1][4][2]);
        assertThrows(IllegalArgumentException.class, () -> TokenMaps.unflatten(flat, 2, 6, 5));
    }
}
