package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits whether the JVM runs them interpreted, compiled by C1 or compiled by
 * C2. The JVM starts every method in the interpreter and recompiles it as it gets hot; on the Vector
 * API's fallback (interpreter and C1) and its intrinsics (C2) a lane sum or a vector exponential may
 * round differently, and then the first steps of a training round differently from the later ones, so
 * the same run twice in one JVM ends with different weights. A child JVM that never reaches C2
 * ({@code -XX:TieredStopAtLevel=1}) computes a fingerprint of the kernels' outputs on fixed inputs;
 * this JVM computes it again and again while its JIT compiles the kernels, and every repetition must
 * match the child's.
 *
 * <p>The kernels are the ones that end a vector computation in a scalar (batch norm's and group norm's
 * statistics and gradient sums, a convolution's bias gradient, the dot-product GEMM of a weight
 * gradient) or use a vector transcendental (the sigmoid), on sizes that take their vector paths.
 */
class JitTierDeterminismTest {
    /** Repetitions in this JVM: enough for C2 to compile the kernels (a few hundred milliseconds). */
    private static final int REPETITIONS = 400;

    /** Runs in the child JVM: prints the fingerprint once. */
    public static final class Main {
        public static void main(String[] args) {
            System.out.println(fingerprint());
        }
    }

    @Test
    void kernelsGiveTheSameBitsInterpretedAndCompiled() throws IOException, InterruptedException {
        String expected = childFingerprint();
        for (int repetition = 0; repetition < REPETITIONS; repetition++) {
            assertEquals(expected, fingerprint(), "repetition " + repetition + " in mode " + Kernels.mode()
                    + " against a JVM without C2 (CRC-32 per kernel)");
        }
    }

    /** The fingerprint computed by a JVM limited to the interpreter and C1, in this JVM's kernel mode. */
    private static String childFingerprint() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
        if (Kernels.simd()) {
            command.add("--add-modules");
            command.add("jdk.incubator.vector");
        }
        command.addAll(List.of("-Dkindling.kernels=" + Kernels.mode().name().toLowerCase(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        Process process = new ProcessBuilder(command).start();
        String stdout = readAll(process.getInputStream());
        String stderr = readAll(process.getErrorStream());
        assertEquals(0, process.waitFor(), "child JVM failed: " + stderr);
        return stdout.trim();
    }

    private static final Random RANDOM = new Random(17);
    private static final int BATCH = 4;
    private static final int CHANNELS = 8;
    private static final int SPATIAL = 7 * 7 + 3 * 64;    // vectors, partial blocks and a tail on any width
    private static final float[] X = gaussians(BATCH * CHANNELS * SPATIAL, 3f, 0.5f);
    private static final float[] G = gaussians(X.length, 1f, 0f);
    private static final float[] GAMMA = gaussians(CHANNELS, 0.2f, 1f);
    private static final float[] BETA = gaussians(CHANNELS, 0.2f, 0f);
    /** A weight gradient's shape, A · Bᵀ with few rows and a long k: the dot-product GEMM. */
    private static final int M = 5;
    private static final int N = 9;
    private static final int K = 1100;
    private static final float[] A = gaussians(M * K, 1f, 0f);
    private static final float[] B = gaussians(N * K, 1f, 0f);
    private static final float[] WIDE = gaussians(X.length, 30f, 0f);   // down to the underflow of e^(−|x|)
    /** Channels of the small-plane batch norm: enough that a block of channels spans whole vectors. */
    private static final int SMALL_CHANNELS = 64;
    private static final float[] SMALL_GAMMA = gaussians(SMALL_CHANNELS, 0.2f, 1f);
    private static final float[] SMALL_BETA = gaussians(SMALL_CHANNELS, 0.2f, 0f);

    /** One CRC-32 per kernel of its outputs' bits, joined: which kernel differs shows in the message. */
    static String fingerprint() {
        float[] x = X;
        float[] g = G;
        float[] gamma = GAMMA;
        float[] beta = BETA;
        int batch = BATCH;
        int channels = CHANNELS;
        int spatial = SPATIAL;
        List<String> crcs = new ArrayList<>();

        double[] mean = new double[channels];
        double[] variance = new double[channels];
        double[] saveMean = new double[channels];
        double[] invStd = new double[channels];
        float[] y = new float[x.length];
        NormKernels.batchNormForward(x, batch, channels, spatial, gamma, beta, null, null, 1e-5,
                mean, variance, saveMean, invStd, y);
        double[] sumGrad = new double[channels];
        double[] sumGradXHat = new double[channels];
        float[] gradX = new float[x.length];
        NormKernels.batchNormBackward(g, x, saveMean, invStd, gamma, true, batch, channels, spatial,
                sumGrad, sumGradXHat, gradX);
        crcs.add("batchNorm=" + crc(y, gradX, mean, variance, invStd, sumGrad, sumGradXHat));

        // The same values as small planes (2×2, the last stages of a ResNet), which batch norm
        // sums by blocks of channels instead of channel by channel; with 64 channels a block is 8
        // channels, a run of 32 floats per image, so its vector loops run too.
        int smallSpatial = 4;
        int smallChannels = SMALL_CHANNELS;
        int smallBatch = x.length / (smallChannels * smallSpatial);
        int smallLength = smallBatch * smallChannels * smallSpatial;
        float[] smallX = java.util.Arrays.copyOf(x, smallLength);
        float[] smallY = new float[smallLength];
        double[] smallMean = new double[smallChannels];
        double[] smallVariance = new double[smallChannels];
        double[] smallSaveMean = new double[smallChannels];
        double[] smallInvStd = new double[smallChannels];
        NormKernels.batchNormForward(smallX, smallBatch, smallChannels, smallSpatial, SMALL_GAMMA, SMALL_BETA,
                null, null, 1e-5, smallMean, smallVariance, smallSaveMean, smallInvStd, smallY);
        double[] smallSumGrad = new double[smallChannels];
        double[] smallSumGradXHat = new double[smallChannels];
        float[] smallGradX = new float[smallLength];
        NormKernels.batchNormBackward(java.util.Arrays.copyOf(g, smallLength), smallX, smallSaveMean, smallInvStd,
                SMALL_GAMMA, true, smallBatch, smallChannels, smallSpatial, smallSumGrad, smallSumGradXHat,
                smallGradX);
        crcs.add("batchNormSmallPlanes=" + crc(smallY, smallGradX, smallMean, smallVariance, smallInvStd,
                smallSumGrad, smallSumGradXHat));

        int groups = 2;
        float[] normalized = new float[x.length];
        double[] groupMean = new double[batch * groups];
        double[] groupInvStd = new double[batch * groups];
        float[] groupOut = new float[x.length];
        GroupNormKernels.groupNormForward(x, batch, channels, groups, spatial, gamma, beta, 1e-5,
                normalized, groupMean, groupInvStd, groupOut);
        double[] groupSumGrad = new double[channels];
        double[] groupSumGradXHat = new double[channels];
        float[] groupGradX = new float[x.length];
        GroupNormKernels.groupNormBackward(g, normalized, groupInvStd, gamma, batch, channels, groups, spatial,
                groupSumGrad, groupSumGradXHat, groupGradX);
        crcs.add("groupNorm=" + crc(groupOut, groupGradX, groupMean, groupInvStd, groupSumGrad, groupSumGradXHat));

        crcs.add("convBias=" + crc(Conv2dKernels.sumPerChannel(g, batch, channels, spatial)));

        float[] c = new float[M * N];
        Gemm.gemm(M, N, K, Operand.of(A, 0, K), Operand.ofTransposed(B, 0, K), 0f, Operand.of(c, 0, N));
        crcs.add("gemmDot=" + crc(c));

        float[] sigmoid = new float[WIDE.length];
        Elementwise.sigmoid(WIDE, sigmoid, 0, WIDE.length);
        crcs.add("sigmoid=" + crc(sigmoid));
        return String.join(" ", crcs);
    }

    private static float[] gaussians(int length, float scale, float shift) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (RANDOM.nextGaussian() * scale + shift);
        }
        return values;
    }

    private static long crc(Object... arrays) {
        CRC32 crc = new CRC32();
        for (Object array : arrays) {
            if (array instanceof float[] floats) {
                for (float value : floats) {
                    update(crc, Float.floatToRawIntBits(value));
                }
            } else {
                for (double value : (double[]) array) {
                    long bits = Double.doubleToRawLongBits(value);
                    update(crc, (int) bits);
                    update(crc, (int) (bits >>> 32));
                }
            }
        }
        return crc.getValue();
    }

    private static void update(CRC32 crc, int bits) {
        crc.update(bits);
        crc.update(bits >>> 8);
        crc.update(bits >>> 16);
        crc.update(bits >>> 24);
    }

    private static String readAll(InputStream stream) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stream.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
