package kindling.examples.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import kindling.tensor.Tensor;

/**
 * A grid of small grey (or RGB) images, each with a caption above it, drawn with java.awt into a
 * {@link BufferedImage} (XChart has no image plot), as d2l's {@code show_images}.
 * <pre>
 *   cell (r, c) shows image k = r · cols + c, scaled up by an integer factor (nearest neighbour)
 *   pixel value v in [0, 1]  →  grey level round(255 · v), clamped; black background, white garment
 *   RGB images (K, 3, H, W): each channel's value in [0, 1] → its 8-bit level the same way
 * </pre>
 */
final class ImageGrid {
    private static final int PAD = 6;
    private static final int CAPTION = 18;
    private static final int TITLE = 28;

    private ImageGrid() {
    }

    /**
     * Draws {@code images} (K, 1, H, W), (K, H, W) or RGB (K, 3, H, W), values in [0, 1], in a grid of {@code cols}
     * columns under {@code title}, each image under its caption, scaled {@code scale} times.
     */
    static BufferedImage draw(String title, Tensor images, String[] captions, int cols, int scale) {
        int k = images.size(0);
        if (captions.length != k) {
            throw new IllegalArgumentException("ImageGrid: " + k + " images but " + captions.length + " captions");
        }
        int h = images.size(images.dim() - 2);
        int w = images.size(images.dim() - 1);
        int channels = (int) (images.numel() / ((long) k * h * w));
        if (images.numel() != (long) k * channels * h * w || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("ImageGrid: expected grey images (K, 1, H, W) or (K, H, W) or RGB "
                    + "(K, 3, H, W), got " + Arrays.toString(images.shape()));
        }
        int rows = Math.max(1, (k + cols - 1) / cols);
        // Without captions (all empty) the cells shrink to the images, so a grid of samples stays compact.
        boolean captioned = Arrays.stream(captions).anyMatch(c -> !c.isEmpty());
        int captionH = captioned ? CAPTION : 0;
        int cellW = (captioned ? Math.max(w * scale, 120) : w * scale) + PAD;
        int cellH = captionH + h * scale + PAD;
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        int titleW = canvasMetrics(titleFont).stringWidth(title) + 2 * PAD;   // a narrow grid still shows its whole title
        BufferedImage canvas = new BufferedImage(Math.max(PAD + cols * cellW, titleW), TITLE + rows * cellH + PAD,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, PAD, 19);

        float[] pixels = images.toArray();                             // row-major (K, C, H, W)
        for (int i = 0; i < k; i++) {                                  // image i goes to cell (i / cols, i % cols)
            int x0 = PAD + (i % cols) * cellW;
            int y0 = TITLE + (i / cols) * cellH;
            drawCaption(g, captions[i], x0, y0 + captionH - 5, cellW - PAD);
            int imageX = x0 + (cellW - PAD - w * scale) / 2;
            for (int y = 0; y < h * scale; y++) {                      // each output row ...
                for (int x = 0; x < w * scale; x++) {                  // ... and column reads pixel (y / scale, x / scale)
                    int pixel = (y / scale) * w + x / scale;
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {                      // red, green, blue (grey: one plane thrice)
                        float v = pixels[(i * channels + (channels == 3 ? c : 0)) * h * w + pixel];
                        rgb = (rgb << 8) | Math.round(255 * Math.max(0f, Math.min(1f, v)));
                    }
                    canvas.setRGB(imageX + x, y0 + captionH + y, rgb);
                }
            }
        }
        g.dispose();
        return canvas;
    }

    /** The metrics of {@code font} on an image canvas, before the canvas exists. */
    private static FontMetrics canvasMetrics(Font font) {
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return scratch.getFontMetrics(font);
        } finally {
            scratch.dispose();
        }
    }

    /** Draws {@code text} from (x, baseline), shrinking the font until it fits {@code width}. */
    private static void drawCaption(Graphics2D g, String text, int x, int baseline, int width) {
        int size = 12;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, size);
        FontMetrics metrics = g.getFontMetrics(font);
        while (size > 7 && metrics.stringWidth(text) > width) {
            font = new Font(Font.SANS_SERIF, Font.PLAIN, --size);
            metrics = g.getFontMetrics(font);
        }
        g.setFont(font);
        g.drawString(text, x + Math.max(0, (width - metrics.stringWidth(text)) / 2), baseline);
    }
}
