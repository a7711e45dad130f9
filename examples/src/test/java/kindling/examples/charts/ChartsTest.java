package kindling.examples.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import kindling.tensor.Tensor;
import kindling.train.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    private static final String[] NAMES = {"zero", "one", "two"};

    @Test
    void writesTheConfusionMatrixAsAPng(@TempDir Path dir) throws IOException {
        ConfusionMatrix m = ConfusionMatrix.of(3, new int[] {0, 1, 2, 2}, new int[] {0, 2, 2, 1});
        Path png = Charts.confusionMatrix("test", m, NAMES, dir.resolve("sub/confusion.png"));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(820, image.getWidth());
        assertEquals(760, image.getHeight());
        assertThrows(IllegalArgumentException.class,
                () -> Charts.confusionMatrix("test", m, new String[] {"a"}, dir.resolve("x.png")));
    }

    @Test
    void theMisclassifiedGridShowsOnlyTheWrongImagesInOrder(@TempDir Path dir) throws IOException {
        // Four 2×2 images; image k has every pixel k / 3. Images 1 and 3 are misclassified.
        float[] pixels = new float[16];
        for (int i = 0; i < 16; i++) {
            pixels[i] = (i / 4) / 3f;
        }
        Tensor images = Tensor.wrap(pixels, 4, 1, 2, 2);
        Predictions p = new Predictions(new int[] {0, 1, 2, 0}, new int[] {0, 2, 2, 1});
        Path png = Charts.misclassified("wrong", images, p, NAMES, 1, 3, dir.resolve("wrong.png"));
        BufferedImage grid = ImageIO.read(png.toFile());
        // Layout: pad 6, cells 126 wide (at least 120 + pad), title 28, caption 18; image centred in its cell.
        int imageTop = 28 + 18;
        int firstLeft = 6 + (120 - 2 * 3) / 2;
        assertEquals(6 + 3 * 126, grid.getWidth());
        assertEquals(28 + (18 + 2 * 3 + 6) + 6, grid.getHeight(), "title, one row of cells (caption, image, pad), pad");
        assertEquals(grey(1 / 3f), grid.getRGB(firstLeft + 1, imageTop + 1) & 0xFFFFFF, "first cell: image 1");
        assertEquals(grey(1f), grid.getRGB(firstLeft + 126 + 5, imageTop + 5) & 0xFFFFFF, "second cell: image 3");
        assertEquals(0xFFFFFF, grid.getRGB(firstLeft + 2 * 126 + 1, imageTop + 1) & 0xFFFFFF, "third cell: empty");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Charts.misclassified("x", images.narrow(0, 0, 3), p, NAMES, 1, 3, dir.resolve("y.png")))
                .getMessage().contains("3 images but 4 predictions"));
    }

    @Test
    void theHistoryIsTwoPanelsSideBySide(@TempDir Path dir) throws IOException {
        History history = new History();
        for (int epoch = 1; epoch <= 3; epoch++) {
            history.add(new History.Epoch(epoch, 1.0 / epoch, 0.5 + 0.1 * epoch, 1.1 / epoch, 0.45 + 0.1 * epoch, 2, 100));
        }
        BufferedImage image = ImageIO.read(Charts.history("run", history, dir.resolve("history.png")).toFile());
        assertEquals(2 * 480, image.getWidth(), "loss and accuracy panels");
        assertEquals(34 + 400, image.getHeight(), "a title row above them");
    }

    @Test
    void showWithoutADisplaySaysNoWindowCanOpen(@TempDir Path dir) throws IOException {
        assumeTrue(GraphicsEnvironment.isHeadless(), "only where there is no display");
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, double[]> series = Map.of("loss", new double[] {3, 2, 1});
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            Charts.showWindows(true);
            Charts.lines("a", "step", "loss", series, dir.resolve("a.png"));
            Charts.lines("b", "step", "loss", series, dir.resolve("b.png"));
        } finally {
            Charts.showWindows(false);
            System.setOut(saved);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), "said once: " + text);
        assertTrue(text.contains("no display") && text.contains("no chart window can open")
                && text.contains(dir.toAbsolutePath().toString()), text);
    }

    private static int grey(float v) {
        int g = Math.round(255 * v);
        return (g << 16) | (g << 8) | g;
    }
}
