package kindling.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of a strided convolution with a short filter (AlexNet's first layer: 1 → 96 channels,
 * 11×11, stride 4) as a direct convolution whose output positions are numbered as y numbers them, so
 * that the sums go straight into y with the bias, and no copy back is needed.
 * {@link ConvNaive#forward} is the same contract as the textbook sum, and the tests hold this class
 * to it. Only loaded in kernel mode simd (see {@link Conv2dKernels#forward}).
 *
 * <h2>Why not {@link ConvSimd}'s layout</h2>
 * {@link ConvSimd} splits the padded image into phase planes and numbers the output positions in flat
 * rows of W_q columns, more than W_out (the taps of a row's last outputs reach W_q − W_out columns
 * further), so its sums land in a buffer of flat rows as large as the image's outputs (over a megabyte
 * on AlexNet's conv1) and are copied back to (C_out, H_out, W_out) afterwards, a pass over memory as
 * long as y on top of the multiply-adds.
 *
 * <h2>The trick: one copy of each phase plane per column shift</h2>
 * A tap (c, a, b) reads phase plane (a·d_h mod s_h, b·d_w mod s_w) of channel c, ⌊a·d_h/s_h⌋ rows and
 * ⌊b·d_w/s_w⌋ columns further than the output position. Copy each phase plane once per column shift
 * e = 0 .. ⌊(k_w−1)·d_w/s_w⌋, keeping only W_out columns: S[c][phase][e][u][j] = xq[c][phase][u][j + e],
 * xq being the padded image split into phase planes. Those rows are exactly W_out wide, so output
 * q = i·W_out + j, numbered as in y, reads
 * <pre>
 *   S index of (position q, tap k) = q + tapS[k],   tapS[k] = plane(c, phase, e)·|S plane| + ⌊a·d_h/s_h⌋·W_out
 * </pre>
 * consecutive positions read consecutive floats even across the end of a row: a vector of outputs is
 * one load, and a panel of NR outputs is NR consecutive floats of each of MR planes of y. AlexNet's
 * conv1 has 3 shifts, so S holds 48 planes where the phase split has 16, a cheap copy (whole rows of
 * 54 floats) next to 121 · 96 multiply-adds per output.
 *
 * <h2>The loops</h2>
 * <pre>
 *   for each (image, band of BAND panels)              (in parallel: tasks independent of the threads)
 *     S  = the band's rows of the padded image's phase planes, once per column shift, built
 *          from x row by row: each image row padded, split into column phases, copied shifted
 *     for each block of MR filters
 *       for each panel of the band
 *         micro-kernel: for k in 0..K: 3 vector loads of S[q + tapS[k]], MR broadcasts of W[o][k],
 *                       3·MR FMAs into registers that start at the bias; stored into y
 * </pre>
 * The blocks walk the band's panels (block outermost), so each block writes MR planes of y in long
 * runs: the lines of y come from memory, and the hardware prefetchers follow a few sequential streams
 * but not C_out short ones per panel. The last panel of a plane, partly past its end, and a block with
 * padding filters go through a small tile, of which only the real outputs are copied.
 *
 * <p>The work is cut into (image, band) tasks, more than threads, and each task builds only the rows
 * of S its band reads ({@link #buildShifted}). y is allocated in the first task, and the JVM zeroes it on that thread, a
 * pass over 9 MB on AlexNet's conv1 that takes as long as half a dozen bands: the tasks that start on the
 * other threads meanwhile store their band into a buffer of their own, copied into y once it exists
 * ({@link Output}), instead of waiting for it. Each output is one sum, over k in a fixed order,
 * computed by one task: results do not depend on the thread count.
 *
 * <p>Blocks of 8 filters × 3 vectors (24 accumulators) with 32 vector registers (AVX-512), 4 × 3 with
 * 16 (AVX2), whatever the vector width ({@link FloatVector#SPECIES_PREFERRED}).
 */
final class ConvPanelSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Output positions per panel: three vectors. */
    static final int NR = 3 * LANES;
    /**
     * Panels per task. A band builds the phase rows its outputs read, two more than its own
     * on AlexNet's conv1 (the filter reaches ⌊(k_h − 1)·d_h/s_h⌋ rows further) plus a partly used one
     * at each end: 16 panels (14 output rows there) build a fifth fewer rows than 8.
     */
    static final int BAND = 16;
    /**
     * The fewest panels of an output plane for this path ({@link #suits}): the threshold the path was
     * measured with when a band was 8 panels, kept when bands grew to {@link #BAND} so that no layer
     * changed path; a smaller plane makes a single band, shorter than BAND.
     */
    static final int MIN_PANELS = 8;
    /** The most taps (C_in/groups·k_h·k_w) a layer may have here: longer filters were not measured. */
    static final int MAX_PATCH = 256;
    /** The most floats of staged bands ({@link Output}) a thread keeps: 2 MB. */
    static final int MAX_STAGED_FLOATS = 1 << 19;

    /**
     * For tests only: when set, every band is computed into a staging buffer while its thread has one
     * free (then copied into y by {@link Output#stage}), and the first task allocates y only after its
     * own band, so that bands go through both of {@link Output}'s copies (after and before y exists)
     * whatever the timing; y must come out bit for bit the same.
     */
    static volatile boolean stageEveryBand;

    /** Per-thread buffers: the band's shifted copies, one padded image row and its column phases, a tile and staged bands, kept from call to call. */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    static final class Workspace {
        private float[] shifted = new float[0];
        private float[] tile = new float[0];
        private float[] row = new float[0];
        private float[] phases = new float[0];

        float[] shifted(int size) {
            if (shifted.length < size) {
                shifted = new float[size];
            }
            return shifted;
        }

        float[] tile(int size) {
            if (tile.length < size) {
                tile = new float[size];
            }
            return tile;
        }

        /** One padded image row ({@link #buildShifted}), at least {@code size} floats. */
        float[] row(int size) {
            if (row.length < size) {
                row = new float[size];
            }
            return row;
        }

        /** One image row split into its column phases ({@link #buildShifted}), at least {@code size} floats. */
        float[] phases(int size) {
            if (phases.length < size) {
                phases = new float[size];
            }
            return phases;
        }

        /** Bands of outputs kept while y is being allocated; reused from call to call. */
        private final List<float[]> staging = new ArrayList<>();
        /**
         * The call whose bands {@code staging} holds ({@link Output#call}: a number, not the Output,
         * which would keep that call's y alive in this thread after it returned), and how many of its
         * buffers that call took.
         */
        private long stagingCall = -1;
        private int staged;

        /**
         * A buffer of {@code size} floats for one band's outputs in the call of {@code output}, or null
         * when one more would take this thread's buffers in that call past
         * {@link ConvPanelSimd#MAX_STAGED_FLOATS} floats. Buffers taken in an earlier call are free
         * again: every staged band was copied into y before its call returned. They are dropped when a
         * call's bands have another size, so that all the buffers kept have one size and together stay
         * within {@link ConvPanelSimd#MAX_STAGED_FLOATS} floats (mixing an earlier layer's larger buffers
         * with a later one's could keep more).
         */
        float[] staging(Output output, int size) {
            if (stagingCall != output.call) {
                stagingCall = output.call;
                staged = 0;
                if (!staging.isEmpty() && staging.get(0).length != size) {
                    staging.clear();
                }
            }
            if ((long) (staged + 1) * size > MAX_STAGED_FLOATS) {
                return null;
            }
            if (staged == staging.size()) {
                staging.add(new float[size]);
            }
            return staging.get(staged++);
        }

        /** The floats of staged-band buffers this workspace keeps between calls. */
        long stagedFloats() {
            long floats = 0;
            for (float[] buffer : staging) {
                floats += buffer.length;
            }
            return floats;
        }
    }

    /**
     * y, allocated by the task of image 0's first band, the first handed out. The JVM zeroes a new
     * array in the thread that allocates it, a pass over memory as long as y (9 MB on AlexNet's conv1,
     * about a millisecond, as long as half a dozen bands take), which no other thread can share. The tasks
     * that start before y exists compute their band into a buffer of their thread ({@link #stage}),
     * copied into y once it exists, instead of waiting for it; with {@link ConvPanelSimd#MAX_STAGED_FLOATS}
     * floats of them a thread waits ({@link #await}). Which thread allocates, and whether a band went through
     * a buffer, changes no value of y.
     */
    static final class Output {
        private static final AtomicLong CALLS = new AtomicLong();
        /** This call's number, distinct from every other call's (see {@link Workspace#staging}). */
        final long call = CALLS.getAndIncrement();
        private final int size;
        private final int outChannels;
        private final int plane;
        private volatile float[] y;
        /** Why {@link #allocate} failed (an OutOfMemoryError), or null. */
        private Throwable failure;
        /** Bands computed before y existed and not yet copied. */
        private final List<StagedBand> pending = new ArrayList<>();

        /**
         * The outputs of image {@code image} at positions first .. end − 1, channel o's at
         * {@code values[o·bandLength + q − first]}.
         */
        private record StagedBand(float[] values, int image, int first, int end, int bandLength) {
        }

        Output(int size, int outChannels, int plane) {
            this.size = size;
            this.outChannels = outChannels;
            this.plane = plane;
        }

        /** Allocates y (once) and copies into it the bands that were staged meanwhile. */
        float[] allocate() {
            float[] array;
            try {
                array = new float[size];
            } catch (RuntimeException | Error e) {       // an OutOfMemoryError must not leave the others waiting
                synchronized (this) {
                    failure = e;
                    notifyAll();
                }
                throw e;
            }
            List<StagedBand> bands;
            synchronized (this) {
                y = array;
                notifyAll();
                bands = new ArrayList<>(pending);
                pending.clear();
            }
            for (StagedBand band : bands) {
                copy(band);
            }
            return array;
        }

        /** y, or null while it is being allocated. */
        float[] ready() {
            return y;
        }

        /** y, waiting for it if need be. */
        synchronized float[] await() {
            while (y == null) {
                if (failure != null) {
                    // The cause matters: this may be the first exception of the parallel loop, the one its caller sees.
                    throw new IllegalStateException("the output of the convolution could not be allocated", failure);
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the output", e);
                }
            }
            return y;
        }

        /**
         * The outputs of image n at positions first .. end − 1, channel o's at
         * {@code band[o·bandLength + q − first]}: copied into y now if it exists, else by {@link #allocate}.
         */
        void stage(float[] band, int n, int first, int end, int bandLength) {
            StagedBand entry = new StagedBand(band, n, first, end, bandLength);
            synchronized (this) {
                if (y == null) {
                    pending.add(entry);
                    return;
                }
            }
            copy(entry);
        }

        private void copy(StagedBand band) {
            for (int o = 0; o < outChannels; o++) {
                System.arraycopy(band.values(), o * band.bandLength(), y,
                        (band.image() * outChannels + o) * plane + band.first(), band.end() - band.first());
            }
        }
    }

    private ConvPanelSimd() {
    }

    /**
     * Whether this path suits layer g: a stride above 1 (a stride-1 layer's flat rows waste little and
     * stay with {@link ConvSimd}), a filter that reaches past the stride in some direction (a 1×1
     * stride-2 shortcut reads one phase of the four, while this path copies them all), a short patch
     * ({@link #MAX_PATCH}), and output planes of at least {@link #MIN_PANELS} panels.
     */
    static boolean suits(ConvGeometry g) {
        boolean strided = g.strideH() > 1 || g.strideW() > 1;
        boolean overlapping = g.dilationH() * (g.kernelH() - 1) + 1 > g.strideH()
                || g.dilationW() * (g.kernelW() - 1) + 1 > g.strideW();
        return strided && overlapping && g.patchSize() <= MAX_PATCH && g.outPlane() >= MIN_PANELS * NR;
    }

    /** y = conv(x, w) + bias; {@code bias} may be null. Same contract as {@link ConvNaive#forward}. */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        return forward(x, w, bias, g, ConvSimd.REGISTERS);
    }

    /** {@link #forward} with the micro-kernel for {@code registers} vector registers (the tests run both). */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g, int registers) {
        int size = g.batch() * g.outChannels() * g.outPlane();
        if (size == 0) {
            return new float[0];
        }
        int mr = registers >= 32 ? 8 : 4;
        int blocks = (g.outPerGroup() + mr - 1) / mr;
        int[] natural = new int[g.patchSize()];
        for (int k = 0; k < natural.length; k++) {
            natural[k] = k;
        }
        float[] packed = ConvSimd.packFilters(w, g, mr, natural);
        float[] paddedBias = new float[g.groups() * blocks * mr];     // zero for the padding filters
        for (int group = 0; group < g.groups(); group++) {
            for (int o = 0; o < g.outPerGroup(); o++) {
                paddedBias[group * blocks * mr + o] = bias == null ? 0f : bias[group * g.outPerGroup() + o];
            }
        }
        int panels = (g.outPlane() + NR - 1) / NR;
        int bands = (panels + BAND - 1) / BAND;
        // The shifted copies' planes lie the tallest band's rows apart in every band, so that one table
        // of tap offsets serves every task of the call.
        int sRows = 0;
        for (int band = 0; band < bands; band++) {
            sRows = Math.max(sRows, lastRow(g, band) - firstRow(g, band));
        }
        int shifts = (g.kernelW() - 1) * g.dilationW() / g.strideW() + 1;
        int sPlane = sRows * g.outWidth();
        int[] tapS = shiftedTaps(g, shifts, sPlane);        // the same for every band and group
        Output output = new Output(size, g.outChannels(), g.outPlane());
        Threads.parallelFor(g.batch() * bands, task -> band(x, packed, paddedBias, g, mr,
                shifts, sPlane, tapS, task / bands, task % bands, output));
        return output.await();
    }

    /** The first phase row that band number {@code band} reads: the row of its first output. */
    private static int firstRow(ConvGeometry g, int band) {
        return band * BAND * NR / g.outWidth();
    }

    /**
     * One past the last phase row that band number {@code band} reads: the row of its last output plus
     * the filter's reach in rows of a phase plane.
     */
    private static int lastRow(ConvGeometry g, int band) {
        int end = Math.min(g.outPlane(), (band + 1) * BAND * NR);
        return (end - 1) / g.outWidth() + (g.kernelH() - 1) * g.dilationH() / g.strideH() + 1;
    }

    /** The outputs of image n at the positions of band number {@code band}. */
    private static void band(float[] x, float[] packed, float[] paddedBias, ConvGeometry g,
                             int mr, int shifts, int sPlane, int[] tapS, int n, int band, Output output) {
        int plane = g.outPlane();
        int outWidth = g.outWidth();
        int patch = g.patchSize();
        int first = band * BAND * NR;
        int end = Math.min(plane, first + BAND * NR);
        int panels = (end - first + NR - 1) / NR;
        // Image 0's first band, the first task handed out, allocates y before anything else.
        boolean stageAll = stageEveryBand;
        boolean allocates = n == 0 && band == 0;
        float[] y = allocates && !stageAll ? output.allocate() : output.ready();
        Workspace workspace = WORKSPACE.get();
        int uFrom = firstRow(g, band);
        int uTo = lastRow(g, band);
        float[] tile = workspace.tile(mr * NR);
        int blocks = (g.outPerGroup() + mr - 1) / mr;
        int planesS = g.inPerGroup() * g.strideH() * g.strideW() * shifts;
        float[] sb = workspace.shifted(planesS * sPlane + 2 * NR);    // + 2·NR: the last panel reads past the band
        // Where the band's outputs go: y, or while y is being allocated a buffer of the band's
        // positions, bandLength floats per channel (see Output).
        if (y == null) {
            y = output.ready();
        }
        int bandLength = BAND * NR;
        float[] staged = y == null || stageAll ? workspace.staging(output, g.outChannels() * bandLength) : null;
        if (y == null && staged == null) {
            y = allocates ? output.allocate() : output.await();
        }
        float[] dst = staged != null ? staged : y;
        for (int group = 0; group < g.groups(); group++) {
            buildShifted(x, g, n, group * g.inPerGroup(), shifts, uFrom, uTo, sPlane, sb, workspace);
            for (int block = 0; block < blocks; block++) {
                int row = (group * blocks + block) * mr;
                int filters = Math.min(mr, g.outPerGroup() - block * mr);
                int channel = group * g.outPerGroup() + block * mr;
                int channelIndex = staged != null ? channel * bandLength - first : (n * g.outChannels() + channel) * plane;
                int ldy = staged != null ? bandLength : plane;
                for (int p = 0; p < panels; p++) {
                    int q = first + p * NR;
                    int count = Math.min(NR, end - q);
                    boolean whole = count == NR && filters == mr;
                    float[] out = whole ? dst : tile;
                    int outIndex = whole ? channelIndex + q : 0;
                    int ldo = whole ? ldy : NR;
                    int xIndex = q - uFrom * outWidth;
                    if (mr == 8) {
                        kernel8x3(sb, xIndex, tapS, patch, packed, row * patch, paddedBias, row, out, outIndex, ldo);
                    } else {
                        kernel4x3(sb, xIndex, tapS, patch, packed, row * patch, paddedBias, row, out, outIndex, ldo);
                    }
                    if (!whole) {
                        for (int r = 0; r < filters; r++) {
                            System.arraycopy(tile, r * NR, dst, channelIndex + r * ldy + q, count);
                        }
                    }
                }
            }
        }
        if (staged != null) {
            output.stage(staged, n, first, end, bandLength);
        }
        if (allocates && output.ready() == null) {
            output.allocate();                          // stageEveryBand: after the first band, not before
        }
    }

    /**
     * tapS[k] for the taps k = (c, a, b) of one group: where tap k's plane of S starts, plus its rows
     * ⌊a·d_h/s_h⌋ of W_out floats; S planes of {@code sPlane} floats, ordered [c][phase][shift].
     */
    static int[] shiftedTaps(ConvGeometry g, int shifts, int sPlane) {
        int[] tapS = new int[g.patchSize()];
        int k = 0;
        for (int c = 0; c < g.inPerGroup(); c++) {
            for (int a = 0; a < g.kernelH(); a++) {
                for (int b = 0; b < g.kernelW(); b++) {
                    int along = a * g.dilationH();
                    int across = b * g.dilationW();
                    int phase = (along % g.strideH()) * g.strideW() + across % g.strideW();
                    int planeIndex = (c * g.strideH() * g.strideW() + phase) * shifts + across / g.strideW();
                    tapS[k++] = planeIndex * sPlane + along / g.strideH() * g.outWidth();
                }
            }
        }
        return tapS;
    }

    /**
     * S[c][phase][e][u − uFrom][j] = xpad[c₀ + c][u·s_h + p_h][(j + e)·s_w + p_w] for the channels c of one
     * group (from c₀), uFrom ≤ u &lt; uTo, j &lt; W_out, phase = p_h·s_w + p_w, where xpad is image n
     * with its zero padding: the band's rows of every phase plane, once per column shift e, W_out
     * floats each, built straight from x. Each image row the band reads is copied once into a padded
     * row (zero outside the image: cleared at each call, whose rows all fill the same columns), split
     * into its s_w column phases of W_out + shifts − 1 floats ({@link #splitColumns} for s_w = 2 and 4,
     * a float at a time for the others), and each phase row is copied shifts times, shifted, in whole
     * vectors (the last one ending at the row's end). Rows of the padding are written as zeros: the
     * buffer holds another band's rows before. The planes of S start {@code sPlane} floats apart, at
     * least (uTo − uFrom)·W_out.
     */
    static void buildShifted(float[] x, ConvGeometry g, int n, int firstChannel, int shifts,
                             int uFrom, int uTo, int sPlane, float[] s, Workspace workspace) {
        int sh = g.strideH();
        int sw = g.strideW();
        int height = g.height();
        int width = g.width();
        int outWidth = g.outWidth();
        int cols = outWidth + shifts - 1;                   // the phase columns the shifted rows read
        int phaseStride = (cols + LANES - 1) / LANES * LANES; // whole vectors, for splitColumns
        int rowLength = sw * cols;
        float[] row = workspace.row(sw * phaseStride);
        float[] phases = workspace.phases(sw * phaseStride);
        boolean vectorSplit = (sw == 2 || sw == 4) && LANES % sw == 0;
        // The image's columns land at t = w + pad_left of the padded row, the rest stays zero.
        int tFrom = Math.min(rowLength, Math.max(0, g.padLeft()));
        int tTo = Math.max(tFrom, Math.min(rowLength, g.padLeft() + width));
        Arrays.fill(row, 0, sw * phaseStride, 0f);
        int last = Math.max(0, outWidth - LANES);
        for (int c = 0; c < g.inPerGroup(); c++) {
            int xBase = (n * g.inChannels() + firstChannel + c) * height * width;
            for (int ph = 0; ph < sh; ph++) {
                int planeBase = (c * sh + ph) * sw * shifts;    // the S plane of phase (ph, 0), shift 0
                for (int u = uFrom; u < uTo; u++) {
                    int h = u * sh + ph - g.padTop();
                    int to = (u - uFrom) * outWidth;
                    if (h < 0 || h >= height) {
                        for (int plane = planeBase; plane < planeBase + sw * shifts; plane++) {
                            Arrays.fill(s, plane * sPlane + to, plane * sPlane + to + outWidth, 0f);
                        }
                        continue;
                    }
                    if (tTo > tFrom) {
                        System.arraycopy(x, xBase + h * width + tFrom - g.padLeft(), row, tFrom, tTo - tFrom);
                    }
                    if (vectorSplit) {
                        splitColumns(row, sw, phaseStride, phases);
                    } else {
                        for (int pw = 0; pw < sw; pw++) {
                            for (int m = 0; m < cols; m++) {
                                phases[pw * phaseStride + m] = row[m * sw + pw];
                            }
                        }
                    }
                    for (int pw = 0; pw < sw; pw++) {
                        for (int shift = 0; shift < shifts; shift++) {
                            int from = pw * phaseStride + shift;
                            int into = (planeBase + pw * shifts + shift) * sPlane + to;
                            if (outWidth < LANES) {
                                System.arraycopy(phases, from, s, into, outWidth);
                                continue;
                            }
                            for (int j = 0; j < last; j += LANES) {
                                FloatVector.fromArray(SPECIES, phases, from + j).intoArray(s, into + j);
                            }
                            FloatVector.fromArray(SPECIES, phases, from + last).intoArray(s, into + last);
                        }
                    }
                }
            }
        }
    }

    /** Lane i of a vector of column phase p takes lane (s·i + p) mod LANES of one of s vectors: s = 2 and 4. */
    private static final VectorShuffle<Float> TWO_0 = VectorShuffle.fromOp(SPECIES, i -> 2 * i % LANES);
    private static final VectorShuffle<Float> TWO_1 = VectorShuffle.fromOp(SPECIES, i -> (2 * i + 1) % LANES);
    private static final VectorShuffle<Float> FOUR_0 = VectorShuffle.fromOp(SPECIES, i -> 4 * i % LANES);
    private static final VectorShuffle<Float> FOUR_1 = VectorShuffle.fromOp(SPECIES, i -> (4 * i + 1) % LANES);
    private static final VectorShuffle<Float> FOUR_2 = VectorShuffle.fromOp(SPECIES, i -> (4 * i + 2) % LANES);
    private static final VectorShuffle<Float> FOUR_3 = VectorShuffle.fromOp(SPECIES, i -> (4 * i + 3) % LANES);
    /** Lanes t·LANES/s .. (t+1)·LANES/s − 1, the ones whose floats come from vector t of s. */
    private static final VectorMask<Float> HALF_1 = SPECIES.indexInRange(-LANES / 2, LANES / 2);
    private static final VectorMask<Float> QUARTER_1 = SPECIES.indexInRange(-LANES / 4, LANES / 4);
    private static final VectorMask<Float> QUARTER_2 = SPECIES.indexInRange(-LANES / 2, LANES / 4);
    private static final VectorMask<Float> QUARTER_3 = SPECIES.indexInRange(-3 * LANES / 4, LANES / 4);

    /**
     * phases[p·phaseStride + m] = row[m·s + p] for p &lt; s, m &lt; phaseStride: a padded image row split
     * into its s column phases, s = 2 or 4 (dividing LANES), s vectors at a time. Phase p's vector takes
     * the floats s·i + p of s consecutive vectors: vector t is rearranged so that its floats of phase p
     * land in quarter t of the lanes (half t for s = 2), and the quarters are blended. Not gathers (as
     * {@link ConvSimd#padAndSplit}): a gather of LANES floats costs tens of cycles, and s² rearranges
     * and s(s − 1) blends per s vectors cost less than s gathers.
     */
    static void splitColumns(float[] row, int s, int phaseStride, float[] phases) {
        if (s == 2) {
            for (int m = 0; m < phaseStride; m += LANES) {
                FloatVector v0 = FloatVector.fromArray(SPECIES, row, 2 * m);
                FloatVector v1 = FloatVector.fromArray(SPECIES, row, 2 * m + LANES);
                v0.rearrange(TWO_0).blend(v1.rearrange(TWO_0), HALF_1).intoArray(phases, m);
                v0.rearrange(TWO_1).blend(v1.rearrange(TWO_1), HALF_1).intoArray(phases, phaseStride + m);
            }
            return;
        }
        for (int m = 0; m < phaseStride; m += LANES) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, row, 4 * m);
            FloatVector v1 = FloatVector.fromArray(SPECIES, row, 4 * m + LANES);
            FloatVector v2 = FloatVector.fromArray(SPECIES, row, 4 * m + 2 * LANES);
            FloatVector v3 = FloatVector.fromArray(SPECIES, row, 4 * m + 3 * LANES);
            v0.rearrange(FOUR_0).blend(v1.rearrange(FOUR_0), QUARTER_1).blend(v2.rearrange(FOUR_0), QUARTER_2)
                    .blend(v3.rearrange(FOUR_0), QUARTER_3).intoArray(phases, m);
            v0.rearrange(FOUR_1).blend(v1.rearrange(FOUR_1), QUARTER_1).blend(v2.rearrange(FOUR_1), QUARTER_2)
                    .blend(v3.rearrange(FOUR_1), QUARTER_3).intoArray(phases, phaseStride + m);
            v0.rearrange(FOUR_2).blend(v1.rearrange(FOUR_2), QUARTER_1).blend(v2.rearrange(FOUR_2), QUARTER_2)
                    .blend(v3.rearrange(FOUR_2), QUARTER_3).intoArray(phases, 2 * phaseStride + m);
            v0.rearrange(FOUR_3).blend(v1.rearrange(FOUR_3), QUARTER_1).blend(v2.rearrange(FOUR_3), QUARTER_2)
                    .blend(v3.rearrange(FOUR_3), QUARTER_3).intoArray(phases, 3 * phaseStride + m);
        }
    }

    /**
     * out[outIndex + r·ldo + p] = bias[bIndex + r] + Σ_k packed[wIndex + k·8 + r] · s[pIndex + tap[k] + p]
     * for r &lt; 8, p &lt; NR: 8 filters at 3 vectors of positions, the 24 sums in registers for the whole
     * k loop (32 vector registers: AVX-512). The sums start at the bias: adding it at the end
     * would put 24 more vector operations into a method whose inlined size C2 limits.
     */
    static void kernel8x3(float[] panel, int pIndex, int[] tap, int patch, float[] packed, int wIndex, float[] bias, int bIndex,
                          float[] out, int outIndex, int ldo) {
        FloatVector b0 = FloatVector.broadcast(SPECIES, bias[bIndex]);
        FloatVector c00 = b0;
        FloatVector c01 = b0;
        FloatVector c02 = b0;
        FloatVector b1 = FloatVector.broadcast(SPECIES, bias[bIndex + 1]);
        FloatVector c10 = b1;
        FloatVector c11 = b1;
        FloatVector c12 = b1;
        FloatVector b2 = FloatVector.broadcast(SPECIES, bias[bIndex + 2]);
        FloatVector c20 = b2;
        FloatVector c21 = b2;
        FloatVector c22 = b2;
        FloatVector b3 = FloatVector.broadcast(SPECIES, bias[bIndex + 3]);
        FloatVector c30 = b3;
        FloatVector c31 = b3;
        FloatVector c32 = b3;
        FloatVector b4 = FloatVector.broadcast(SPECIES, bias[bIndex + 4]);
        FloatVector c40 = b4;
        FloatVector c41 = b4;
        FloatVector c42 = b4;
        FloatVector b5 = FloatVector.broadcast(SPECIES, bias[bIndex + 5]);
        FloatVector c50 = b5;
        FloatVector c51 = b5;
        FloatVector c52 = b5;
        FloatVector b6 = FloatVector.broadcast(SPECIES, bias[bIndex + 6]);
        FloatVector c60 = b6;
        FloatVector c61 = b6;
        FloatVector c62 = b6;
        FloatVector b7 = FloatVector.broadcast(SPECIES, bias[bIndex + 7]);
        FloatVector c70 = b7;
        FloatVector c71 = b7;
        FloatVector c72 = b7;
        for (int k = 0; k < patch; k++) {
            int at = pIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, panel, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, panel, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, panel, at + 2 * LANES);
            int wk = wIndex + k * 8;
            FloatVector w = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w, c00);
            c01 = x1.fma(w, c01);
            c02 = x2.fma(w, c02);
            w = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w, c10);
            c11 = x1.fma(w, c11);
            c12 = x2.fma(w, c12);
            w = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w, c20);
            c21 = x1.fma(w, c21);
            c22 = x2.fma(w, c22);
            w = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w, c30);
            c31 = x1.fma(w, c31);
            c32 = x2.fma(w, c32);
            w = FloatVector.broadcast(SPECIES, packed[wk + 4]);
            c40 = x0.fma(w, c40);
            c41 = x1.fma(w, c41);
            c42 = x2.fma(w, c42);
            w = FloatVector.broadcast(SPECIES, packed[wk + 5]);
            c50 = x0.fma(w, c50);
            c51 = x1.fma(w, c51);
            c52 = x2.fma(w, c52);
            w = FloatVector.broadcast(SPECIES, packed[wk + 6]);
            c60 = x0.fma(w, c60);
            c61 = x1.fma(w, c61);
            c62 = x2.fma(w, c62);
            w = FloatVector.broadcast(SPECIES, packed[wk + 7]);
            c70 = x0.fma(w, c70);
            c71 = x1.fma(w, c71);
            c72 = x2.fma(w, c72);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
        c40.intoArray(out, outIndex + 4 * ldo);
        c41.intoArray(out, outIndex + 4 * ldo + LANES);
        c42.intoArray(out, outIndex + 4 * ldo + 2 * LANES);
        c50.intoArray(out, outIndex + 5 * ldo);
        c51.intoArray(out, outIndex + 5 * ldo + LANES);
        c52.intoArray(out, outIndex + 5 * ldo + 2 * LANES);
        c60.intoArray(out, outIndex + 6 * ldo);
        c61.intoArray(out, outIndex + 6 * ldo + LANES);
        c62.intoArray(out, outIndex + 6 * ldo + 2 * LANES);
        c70.intoArray(out, outIndex + 7 * ldo);
        c71.intoArray(out, outIndex + 7 * ldo + LANES);
        c72.intoArray(out, outIndex + 7 * ldo + 2 * LANES);
    }

    /** {@link #kernel8x3} for 4 filters (12 accumulators: 16 vector registers, AVX2). */
    static void kernel4x3(float[] panel, int pIndex, int[] tap, int patch, float[] packed, int wIndex, float[] bias, int bIndex,
                          float[] out, int outIndex, int ldo) {
        FloatVector b0 = FloatVector.broadcast(SPECIES, bias[bIndex]);
        FloatVector c00 = b0;
        FloatVector c01 = b0;
        FloatVector c02 = b0;
        FloatVector b1 = FloatVector.broadcast(SPECIES, bias[bIndex + 1]);
        FloatVector c10 = b1;
        FloatVector c11 = b1;
        FloatVector c12 = b1;
        FloatVector b2 = FloatVector.broadcast(SPECIES, bias[bIndex + 2]);
        FloatVector c20 = b2;
        FloatVector c21 = b2;
        FloatVector c22 = b2;
        FloatVector b3 = FloatVector.broadcast(SPECIES, bias[bIndex + 3]);
        FloatVector c30 = b3;
        FloatVector c31 = b3;
        FloatVector c32 = b3;
        for (int k = 0; k < patch; k++) {
            int at = pIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, panel, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, panel, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, panel, at + 2 * LANES);
            int wk = wIndex + k * 4;
            FloatVector w = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w, c00);
            c01 = x1.fma(w, c01);
            c02 = x2.fma(w, c02);
            w = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w, c10);
            c11 = x1.fma(w, c11);
            c12 = x2.fma(w, c12);
            w = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w, c20);
            c21 = x1.fma(w, c21);
            c22 = x2.fma(w, c22);
            w = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w, c30);
            c31 = x1.fma(w, c31);
            c32 = x2.fma(w, c32);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
    }
}
