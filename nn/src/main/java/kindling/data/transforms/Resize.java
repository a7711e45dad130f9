package kindling.data.transforms;

import kindling.data.Transform;
import kindling.tensor.Tensor;

/**
 * Resizes an image by bilinear interpolation with half-pixel centres, as
 * {@code torch.nn.functional.interpolate(x, size=(height, width), mode='bilinear', align_corners=False)}.
 * Output pixel (i, j) sits at input position (y, x), found per axis from the pixel centres:
 * <pre>
 *   scale = inSize / outSize
 *   y = max(0, (i + 0.5) · scale − 0.5)              the centre of output row i, in input rows
 *   y0 = ⌊y⌋,  y1 = min(y0 + 1, inSize − 1),  ly = y − y0      (the same for x along the width)
 *   out[c, i, j] = (1 − ly) · ((1 − lx) · in[c, y0, x0] + lx · in[c, y0, x1])
 *                +      ly  · ((1 − lx) · in[c, y1, x0] + lx · in[c, y1, x1])
 * </pre>
 * Shape: (C, H, W) → (C, height, width).
 *
 * <p>No antialiasing: when shrinking, each output pixel still reads only its 2×2 neighbours. This
 * matches {@code F.interpolate} (and torchvision's {@code Resize(antialias=False)}); newer
 * torchvision versions default to {@code antialias=True} on tensors, which blurs first and gives
 * different values when downsampling.
 */
public final class Resize implements Transform {
    private final int height;
    private final int width;

    public Resize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Resize: height and width must be at least 1, got (" + height + ", "
                    + width + ")");
        }
        this.height = height;
        this.width = width;
    }

    @Override
    public Tensor apply(Tensor image) {
        float[] in = Images.pixels("Resize", image);
        int channels = image.size(0);
        int inH = image.size(1);
        int inW = image.size(2);
        // The source rows and columns and their weights depend only on the output row or column:
        // computed once here, not once per pixel.
        Axis rows = Axis.of(inH, height);
        Axis cols = Axis.of(inW, width);
        float[] out = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {                      // each channel alone
            int inPlane = c * inH * inW;
            int outPlane = c * height * width;
            for (int i = 0; i < height; i++) {                    // output row i reads rows y0 and y1
                int row0 = inPlane + rows.lo[i] * inW;
                int row1 = inPlane + rows.hi[i] * inW;
                float ly0 = rows.wLo[i];
                float ly1 = rows.wHi[i];
                for (int j = 0; j < width; j++) {                 // output column j reads columns x0 and x1
                    int x0 = cols.lo[j];
                    int x1 = cols.hi[j];
                    float lx0 = cols.wLo[j];
                    float lx1 = cols.wHi[j];
                    out[outPlane + i * width + j] = ly0 * (lx0 * in[row0 + x0] + lx1 * in[row0 + x1])
                            + ly1 * (lx0 * in[row1 + x0] + lx1 * in[row1 + x1]);
                }
            }
        }
        return Tensor.wrap(out, channels, height, width);
    }

    /** For each output index along one axis: the two input indices and their weights. */
    private record Axis(int[] lo, int[] hi, float[] wLo, float[] wHi) {
        static Axis of(int inSize, int outSize) {
            Axis a = new Axis(new int[outSize], new int[outSize], new float[outSize], new float[outSize]);
            float scale = (float) inSize / outSize;               // in float, as PyTorch's kernel for float input
            for (int o = 0; o < outSize; o++) {
                float source = Math.max(0f, scale * (o + 0.5f) - 0.5f);   // half-pixel centres, clamped at 0
                int lo = (int) source;                            // ⌊source⌋, since source ≥ 0
                a.lo[o] = lo;
                a.hi[o] = lo < inSize - 1 ? lo + 1 : lo;          // at the last pixel both reads coincide
                a.wHi[o] = source - lo;
                a.wLo[o] = 1f - a.wHi[o];
            }
            return a;
        }
    }

    @Override
    public String toString() {
        return "Resize(" + height + ", " + width + ")";
    }
}
