package kindling.examples.models;

import java.io.PrintStream;
import java.util.Arrays;
import kindling.nn.Conv2d;
import kindling.nn.ConvTranspose2d;
import kindling.nn.Embedding;
import kindling.nn.GroupNorm;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.SiLU;
import kindling.nn.Sequential;
import kindling.nn.SinusoidalTimeEmbedding;
import kindling.nn.Upsample;
import kindling.tensor.Tensor;

/**
 * A small U-Net (Ronneberger, Fischer and Brox, 2015, in the form diffusion models use since Ho,
 * Jain and Abbeel, 2020) that reads an image x, a time t and a class y and returns a tensor of x's
 * shape: the learned vector field u^θ_t(x | y) of a class-conditional flow model on 28×28 grey images.
 * <pre>
 *   conditioning:  t (N) → SinusoidalTimeEmbedding(64) → Linear(64, E) → SiLU → Linear(E, E)
 *                  y (N) → Embedding(classes + 1, E)     index "classes" is the null class ∅
 *                  emb = time + class                                               (N, E), E = 4w
 *   x (N, 1, 28, 28)
 *   stem     Conv2d(1, w, 3, p=1)                  = skip1         → (N, w, 28, 28)
 *   pool1    Conv2d(w, 2w, 3, s=2, p=1)                            → (N, 2w, 14, 14)
 *   down2    ResBlock(2w → 2w)                     = skip2         → (N, 2w, 14, 14)
 *   pool2    Conv2d(2w, 2w, 3, s=2, p=1)                           → (N, 2w, 7, 7)
 *   middle   ResBlock(2w → 2w)                                     → (N, 2w, 7, 7)
 *   up2      Upsample(2, nearest) → Conv2d(2w, 2w, 3, p=1)         → (N, 2w, 14, 14)
 *            cat skip2 → ResBlock(4w → 2w)                         → (N, 2w, 14, 14)
 *   up1      ConvTranspose2d(2w, w, 4, s=2, p=1), to skip1's size  → (N, w, 28, 28)
 *            cat skip1 → ResBlock(2w → w)                          → (N, w, 28, 28)
 *   head     GroupNorm → SiLU → Conv2d(w, 1, 3, p=1)               → (N, 1, 28, 28)
 *
 *   ResBlock(in → out), given emb:
 *     h = Conv3×3(SiLU(GroupNorm(x)))                  (N, out, H, W)
 *     h = h + Linear(E, out)(SiLU(emb)) per channel    the time and class enter every block
 *     h = Conv3×3(SiLU(GroupNorm(h)))
 *     return h + skip(x)                               skip = Conv1×1 when in ≠ out, else x
 * </pre>
 * There is no residual block on the way down at full resolution: at 28×28 a block costs four
 * times what it costs at 14×14, and the stem's features reach the last block through the skip
 * anyway. The two ways up are the two usual ones, one of each so both can be read: nearest-neighbour
 * upsampling followed by a convolution, and a transposed convolution with stride 2. The skips carry
 * the fine detail of the way down past the 7×7 bottleneck. GroupNorm (8 groups) rather than
 * BatchNorm because a sample's output must not depend on the others in its batch: at sampling time
 * the same image is evaluated at many times t, and classifier-free guidance puts conditional and
 * unconditional copies in one batch.
 */
public final class UNet extends Module {
    private static final int GROUPS = 8;

    private final int classes;
    private final Sequential timeEmbedding;
    private final Embedding classEmbedding;
    private final Conv2d stem;
    private final Conv2d pool1;
    private final ResBlock down2;
    private final Conv2d pool2;
    private final ResBlock middle;
    private final Sequential up2Sample;
    private final ResBlock up2;
    private final ConvTranspose2d up1Sample;
    private final ResBlock up1;
    private final Sequential head;

    /** A U-Net of base width {@code width} (a multiple of 8) for {@code classes} classes plus the null class. */
    public UNet(int width, int classes) {
        if (width <= 0 || width % GROUPS != 0) {
            throw new IllegalArgumentException("UNet: width must be a positive multiple of " + GROUPS + ", got " + width);
        }
        this.classes = classes;
        int e = 4 * width;
        timeEmbedding = registerModule("timeEmbedding", new Sequential(
                new SinusoidalTimeEmbedding(64), new Linear(64, e), new SiLU(), new Linear(e, e)));
        classEmbedding = registerModule("classEmbedding", new Embedding(classes + 1, e));
        stem = registerModule("stem", new Conv2d(1, width, 3, 1, 1));
        pool1 = registerModule("pool1", new Conv2d(width, 2 * width, 3, 2, 1));
        down2 = registerModule("down2", new ResBlock(2 * width, 2 * width, e));
        pool2 = registerModule("pool2", new Conv2d(2 * width, 2 * width, 3, 2, 1));
        middle = registerModule("middle", new ResBlock(2 * width, 2 * width, e));
        up2Sample = registerModule("up2Sample", new Sequential(new Upsample(2, "nearest"),
                new Conv2d(2 * width, 2 * width, 3, 1, 1)));
        up2 = registerModule("up2", new ResBlock(4 * width, 2 * width, e));
        up1Sample = registerModule("up1Sample", new ConvTranspose2d(2 * width, width, 4, 2, 1));
        up1 = registerModule("up1", new ResBlock(2 * width, width, e));
        head = registerModule("head", new Sequential(new GroupNorm(GROUPS, width), new SiLU(),
                new Conv2d(width, 1, 3, 1, 1)));
    }

    /** The index of the null class ∅, the "no label" of classifier-free guidance: {@code classes}. */
    public int nullClass() {
        return classes;
    }

    /**
     * u^θ_t(x | y): x (N, 1, 28, 28), t (N) in [0, 1], y (N) class indices in 0 … classes, where
     * {@link #nullClass()} means unconditional. Returns (N, 1, 28, 28).
     */
    public Tensor forward(Tensor x, Tensor t, Tensor y) {
        return run(x, t, y, null);
    }

    /** Prints the shape after each stage for one input, as {@code Summary.traceShapes} does for a Sequential. */
    public void traceShapes(PrintStream out) {
        run(Tensor.zeros(1, 1, 28, 28), Tensor.zeros(1), Tensor.zeros(1), out);
    }

    /** A U-Net needs a time and a class besides the image, so the one-argument forward is refused. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(describe() + ": a U-Net takes the image, the time and the class: "
                + "call forward(x, t, y), got only x " + Arrays.toString(input.shape()));
    }

    private Tensor run(Tensor x, Tensor t, Tensor y, PrintStream trace) {
        if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != 28 || x.size(3) != 28) {
            throw new IllegalArgumentException(describe() + ": expected x (N, 1, 28, 28) but got " + Arrays.toString(x.shape()));
        }
        if (t.numel() != x.size(0) || y.numel() != x.size(0)) {
            throw new IllegalArgumentException(describe() + ": expected one time and one class per image, (" + x.size(0)
                    + "), but got t " + Arrays.toString(t.shape()) + " and y " + Arrays.toString(y.shape()));
        }
        Tensor emb = timeEmbedding.forward(t.reshape(-1)).add(classEmbedding.forward(y.reshape(-1)));
        show(trace, "embedding (time + class)", emb);
        Tensor skip1 = stem.forward(x);
        show(trace, "stem (skip1)", skip1);
        Tensor h = pool1.forward(skip1);
        show(trace, "pool1", h);
        Tensor skip2 = down2.forward(h, emb);
        show(trace, "down2 (skip2)", skip2);
        h = pool2.forward(skip2);
        show(trace, "pool2", h);
        h = middle.forward(h, emb);
        show(trace, "middle", h);
        h = up2Sample.forward(h);
        show(trace, "up2Sample", h);
        h = up2.forward(Tensor.cat(1, h, skip2), emb);
        show(trace, "up2 (after cat skip2)", h);
        // Ask for the size the concatenation below needs, skip1's, rather than work out an outputPadding
        // by hand (PyTorch's idiom: self.up(h, output_size=skip1.size())). From 14×14 this layer can give
        // 28 or 29; 28 is its default, and the layer checks that the size asked for is one it can give.
        // The choice matters where the way down rounds an odd side down (a 2×2 max pool sends 27 to 13,
        // and from 13 the layer gives 26 or 27); pool1 rounds up (27 → 14), so only even sides come back.
        h = up1Sample.forward(h, skip1.size(2), skip1.size(3));
        show(trace, "up1Sample", h);
        h = up1.forward(Tensor.cat(1, h, skip1), emb);
        show(trace, "up1 (after cat skip1)", h);
        h = head.forward(h);
        show(trace, "head", h);
        return h;
    }

    private static void show(PrintStream trace, String stage, Tensor value) {
        if (trace != null) {
            trace.printf("%-26s %s%n", stage, Arrays.toString(value.shape()));
        }
    }

    /** The U-Net's residual block, conditioned on the embedding (see the class comment). */
    public static final class ResBlock extends Module {
        private final int outChannels;
        private final GroupNorm norm1;
        private final Conv2d conv1;
        private final Linear embProjection;
        private final GroupNorm norm2;
        private final Conv2d conv2;
        private final Conv2d skip;
        private final SiLU silu = new SiLU();

        public ResBlock(int inChannels, int outChannels, int embeddingDim) {
            this.outChannels = outChannels;
            norm1 = registerModule("norm1", new GroupNorm(GROUPS, inChannels));
            conv1 = registerModule("conv1", new Conv2d(inChannels, outChannels, 3, 1, 1));
            embProjection = registerModule("embProjection", new Linear(embeddingDim, outChannels));
            norm2 = registerModule("norm2", new GroupNorm(GROUPS, outChannels));
            conv2 = registerModule("conv2", new Conv2d(outChannels, outChannels, 3, 1, 1));
            skip = inChannels == outChannels ? null : registerModule("skip", new Conv2d(inChannels, outChannels, 1));
        }

        /** x (N, in, H, W) and emb (N, E) to (N, out, H, W). */
        public Tensor forward(Tensor x, Tensor emb) {
            Tensor h = conv1.forward(silu.forward(norm1.forward(x)));
            Tensor shift = embProjection.forward(silu.forward(emb));                 // (N, out)
            h = h.add(shift.reshape(shift.size(0), outChannels, 1, 1));             // broadcast over H, W
            h = conv2.forward(silu.forward(norm2.forward(h)));
            return h.add(skip == null ? x : skip.forward(x));
        }

        /** A residual block needs the embedding too, so the one-argument forward is refused. */
        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException(describe() + ": a ResBlock takes the features and the embedding: "
                    + "call forward(x, emb), got only x " + Arrays.toString(input.shape()));
        }
    }
}
