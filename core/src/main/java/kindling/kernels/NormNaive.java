package kindling.kernels;

/**
 * The textbook normalisation loops, the naive twins of {@link NormKernels}: batch norm over a
 * (N, C, S) layout and layer norm over (R, D) rows, one channel or row after another on the calling
 * thread, sums in double.
 * <pre>
 *   batch norm, channel c over its M = N·S values:   μ_c = (1/M) Σ x     σ²_c = (1/M) Σ (x − μ_c)²
 *   layer norm, row r over its D values:             μ_r = (1/D) Σ x     σ²_r = (1/D) Σ (x − μ_r)²
 *   both:   x̂ = (x − μ) / √(σ² + ε)       y = γ · x̂ + β
 * </pre>
 * The backward formulas are written out on {@code BatchNormOp} and {@code LayerNormOp}.
 */
public final class NormNaive {
    private NormNaive() {
    }

    /**
     * Batch-norm forward. With {@code mean == null} the statistics are the batch's: written to
     * {@code batchMean} and {@code batchVariance} (biased); otherwise {@code mean} and {@code variance}
     * are used. Fills {@code saveMean} (the μ_c it normalised with), {@code invStd} (1/σ_c) and
     * {@code out}. {@code gamma} and {@code beta} may be null (1 and 0).
     *
     * <p>x̂ itself is not kept: it would be one more array as large as x, allocated and written on
     * every step. The backward recomputes it from x, μ_c and 1/σ_c, as PyTorch's does.
     */
    public static void batchNormForward(float[] x, int batch, int channels, int spatial,
                                        float[] gamma, float[] beta, float[] mean, float[] variance, double eps,
                                        double[] batchMean, double[] batchVariance,
                                        double[] saveMean, double[] invStd, float[] out) {
        for (int c = 0; c < channels; c++) {                                 // each channel on its own
            batchNormChannel(x, c, batch, channels, spatial, gamma, beta, mean, variance, eps,
                    batchMean, batchVariance, saveMean, invStd, out);
        }
    }

    /** Batch-norm forward of channel c: its statistics (unless given), then γ · x̂ + β. */
    static void batchNormChannel(float[] x, int c, int batch, int channels, int spatial,
                                 float[] gamma, float[] beta, float[] mean, float[] variance, double eps,
                                 double[] batchMean, double[] batchVariance,
                                 double[] saveMean, double[] invStd, float[] out) {
        double count = (double) batch * spatial;
        double mu;
        if (mean == null) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {                                // μ_c = (1/M) Σ_n Σ_s x[n][c][s]
                for (int s = 0; s < spatial; s++) {
                    sum += x[(n * channels + c) * spatial + s];
                }
            }
            mu = sum / count;
            double squares = 0;
            for (int n = 0; n < batch; n++) {                                // σ²_c = (1/M) Σ (x − μ_c)²
                for (int s = 0; s < spatial; s++) {
                    double d = x[(n * channels + c) * spatial + s] - mu;
                    squares += d * d;
                }
            }
            batchMean[c] = mu;
            batchVariance[c] = squares / count;
            invStd[c] = 1 / Math.sqrt(squares / count + eps);
        } else {
            mu = mean[c];
            invStd[c] = 1 / Math.sqrt(variance[c] + eps);
        }
        saveMean[c] = mu;
        for (int n = 0; n < batch; n++) {                                    // y = γ_c · x̂ + β_c
            for (int s = 0; s < spatial; s++) {
                int i = (n * channels + c) * spatial + s;
                double xHat = (x[i] - mu) * invStd[c];
                out[i] = (float) ((gamma == null ? 1 : gamma[c]) * xHat + (beta == null ? 0 : beta[c]));
            }
        }
    }

    /**
     * Batch-norm backward: Σ g and Σ g·x̂ per channel into {@code sumGrad} and {@code sumGradXHat}
     * (the gradients of β and γ), and, when {@code gradX} is not null, ∂L/∂x into it:
     * (γ_c / σ_c) · (g − mean_c(g) − x̂ · mean_c(g · x̂)) with batch statistics, (γ_c / σ_c) · g without.
     * x̂ = (x − μ_c) · (1/σ_c), rounded to float, is recomputed from the forward's input {@code x},
     * its {@code saveMean} and {@code invStd}. {@code gradX} may be {@code g} itself: each channel's sums
     * are complete before the first of its ∂L/∂x is written, and ∂L/∂x[i] reads only g[i] of g.
     */
    public static void batchNormBackward(float[] g, float[] x, double[] saveMean, double[] invStd, float[] gamma,
                                         boolean batchStatistics, int batch, int channels, int spatial,
                                         double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        for (int c = 0; c < channels; c++) {                                 // each channel on its own
            batchNormBackwardChannel(g, x, saveMean, invStd, gamma, batchStatistics, c, batch, channels, spatial,
                    sumGrad, sumGradXHat, gradX);
        }
    }

    /** Batch-norm backward of channel c: its two sums, then (unless gradX is null) its ∂L/∂x. */
    static void batchNormBackwardChannel(float[] g, float[] x, double[] saveMean, double[] invStd, float[] gamma,
                                         boolean batchStatistics, int c, int batch, int channels, int spatial,
                                         double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        double count = (double) batch * spatial;
        double mu = saveMean[c];
        for (int n = 0; n < batch; n++) {                                    // Σ g and Σ g · x̂ over n and s
            for (int s = 0; s < spatial; s++) {
                int i = (n * channels + c) * spatial + s;
                float xHat = (float) ((x[i] - mu) * invStd[c]);
                sumGrad[c] += g[i];
                sumGradXHat[c] += g[i] * (double) xHat;
            }
        }
        if (gradX == null) {
            return;
        }
        double scale = (gamma == null ? 1 : gamma[c]) * invStd[c];          // γ_c / σ_c
        double meanGrad = batchStatistics ? sumGrad[c] / count : 0;
        double meanGradXHat = batchStatistics ? sumGradXHat[c] / count : 0;
        for (int n = 0; n < batch; n++) {
            for (int s = 0; s < spatial; s++) {
                int i = (n * channels + c) * spatial + s;
                float xHat = (float) ((x[i] - mu) * invStd[c]);
                gradX[i] = (float) (scale * (g[i] - meanGrad - xHat * meanGradXHat));
            }
        }
    }

    /**
     * Layer-norm forward over {@code rows} rows of {@code length} values; fills {@code normalized},
     * {@code invStd} (per row) and {@code out}. {@code gamma}, {@code beta} (length) may be null.
     */
    public static void layerNormForward(float[] x, int rows, int length, float[] gamma, float[] beta, double eps,
                                        float[] normalized, double[] invStd, float[] out) {
        for (int r = 0; r < rows; r++) {
            layerNormRow(x, r, length, gamma, beta, eps, normalized, invStd, out);
        }
    }

    /** One row of layer norm: the mean, the biased variance, then x̂ and γ · x̂ + β. */
    static void layerNormRow(float[] x, int r, int length, float[] gamma, float[] beta, double eps,
                             float[] normalized, double[] invStd, float[] out) {
        int base = r * length;
        double sum = 0;
        for (int d = 0; d < length; d++) {                                   // μ_r
            sum += x[base + d];
        }
        double mean = sum / length;
        double squares = 0;
        for (int d = 0; d < length; d++) {                                   // σ²_r, biased
            double diff = x[base + d] - mean;
            squares += diff * diff;
        }
        invStd[r] = 1 / Math.sqrt(squares / length + eps);
        for (int d = 0; d < length; d++) {                                   // x̂, then γ · x̂ + β
            double xHat = (x[base + d] - mean) * invStd[r];
            normalized[base + d] = (float) xHat;
            out[base + d] = (float) ((gamma == null ? 1 : gamma[d]) * xHat + (beta == null ? 0 : beta[d]));
        }
    }

    /**
     * ∂L/∂x of layer norm, row by row: with h = g · γ,
     * ∂L/∂x[r, ·] = (1 / σ_r) · (h − mean_d(h) − x̂ · mean_d(h · x̂)).
     */
    public static void layerNormBackwardInput(float[] g, float[] normalized, double[] invStd, float[] gamma,
                                              int rows, int length, float[] gradX) {
        for (int r = 0; r < rows; r++) {
            layerNormBackwardRow(g, normalized, invStd, gamma, r, length, gradX);
        }
    }

    static void layerNormBackwardRow(float[] g, float[] normalized, double[] invStd, float[] gamma,
                                     int r, int length, float[] gradX) {
        int base = r * length;
        double sumH = 0;                                                     // Σ_d h
        double sumHXHat = 0;                                                 // Σ_d h · x̂
        for (int d = 0; d < length; d++) {
            double h = g[base + d] * (gamma == null ? 1.0 : gamma[d]);
            sumH += h;
            sumHXHat += h * normalized[base + d];
        }
        double meanH = sumH / length;
        double meanHXHat = sumHXHat / length;
        for (int d = 0; d < length; d++) {
            double h = g[base + d] * (gamma == null ? 1.0 : gamma[d]);
            gradX[base + d] = (float) (invStd[r] * (h - meanH - normalized[base + d] * meanHXHat));
        }
    }

    /** ∂L/∂β[d] = Σ_r g[r, d] into {@code sumGrad} and ∂L/∂γ[d] = Σ_r g[r, d] · x̂[r, d] into {@code sumGradXHat}. */
    public static void layerNormBackwardParams(float[] g, float[] normalized, int rows, int length,
                                               double[] sumGrad, double[] sumGradXHat) {
        for (int r = 0; r < rows; r++) {                                     // sum over rows, per element d
            int base = r * length;
            for (int d = 0; d < length; d++) {
                sumGrad[d] += g[base + d];
                sumGradXHat[d] += g[base + d] * (double) normalized[base + d];
            }
        }
    }

    /** out[c] = (float) sums[c]: the double sums rounded to the float a gradient tensor holds. */
    public static float[] toFloats(double[] sums) {
        float[] out = new float[sums.length];
        for (int c = 0; c < sums.length; c++) {
            out[c] = (float) sums[c];
        }
        return out;
    }

    /**
     * Group-norm forward over a (N, C, S) layout with C/G consecutive channels per group: for each
     * sample n and group g, the mean μ and the biased variance σ² of its M = (C/G)·S values, then
     * x̂ = (x − μ) / √(σ² + ε) and y = γ_c · x̂ + β_c. Fills {@code mean} and {@code invStd}
     * (1/√(σ² + ε)), one per (n, g) at index n·G + g, {@code normalized} (x̂) and {@code out}.
     * {@code gamma} and {@code beta} (C) may be null (1 and 0).
     */
    public static void groupNormForward(float[] x, int batch, int channels, int groups, int spatial,
                                        float[] gamma, float[] beta, double eps,
                                        float[] normalized, double[] mean, double[] invStd, float[] out) {
        int perGroup = channels / groups;
        int count = perGroup * spatial;                                      // M
        for (int n = 0; n < batch; n++) {
            for (int g = 0; g < groups; g++) {
                int block = n * groups + g;
                int base = block * count;                                    // the group's values are consecutive
                double sum = 0;
                for (int i = 0; i < count; i++) {                            // μ = (1/M) Σ x
                    sum += x[base + i];
                }
                double mu = sum / count;
                double squares = 0;
                for (int i = 0; i < count; i++) {                            // σ² = (1/M) Σ (x − μ)²
                    double d = x[base + i] - mu;
                    squares += d * d;
                }
                mean[block] = mu;
                invStd[block] = 1 / Math.sqrt(squares / count + eps);
                for (int i = 0; i < count; i++) {                            // y = γ_c · x̂ + β_c
                    int c = g * perGroup + i / spatial;
                    double xHat = (x[base + i] - mu) * invStd[block];
                    normalized[base + i] = (float) xHat;
                    out[base + i] = (float) ((gamma == null ? 1 : gamma[c]) * xHat + (beta == null ? 0 : beta[c]));
                }
            }
        }
    }

    /**
     * Group-norm backward: Σ g and Σ g·x̂ per channel (over samples and positions) added into
     * {@code sumGrad} and {@code sumGradXHat} (the gradients of β and γ), and, when {@code gradX} is
     * not null, ∂L/∂x into it, per (n, g) block with h = γ_c · g:
     * (1/σ) · (h − mean(h) − x̂ · mean(h · x̂)), the means over the block's M values.
     */
    public static void groupNormBackward(float[] g, float[] normalized, double[] invStd, float[] gamma,
                                         int batch, int channels, int groups, int spatial,
                                         double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        int perGroup = channels / groups;
        int count = perGroup * spatial;
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {                             // ∂L/∂β_c and ∂L/∂γ_c
                for (int s = 0; s < spatial; s++) {
                    int i = (n * channels + c) * spatial + s;
                    sumGrad[c] += g[i];
                    sumGradXHat[c] += g[i] * (double) normalized[i];
                }
            }
        }
        if (gradX == null) {
            return;
        }
        for (int n = 0; n < batch; n++) {
            for (int grp = 0; grp < groups; grp++) {
                int block = n * groups + grp;
                int base = block * count;
                double sumH = 0;                                             // Σ h
                double sumHXHat = 0;                                         // Σ h · x̂
                for (int i = 0; i < count; i++) {
                    double h = g[base + i] * (gamma == null ? 1.0 : gamma[grp * perGroup + i / spatial]);
                    sumH += h;
                    sumHXHat += h * normalized[base + i];
                }
                double meanH = sumH / count;
                double meanHXHat = sumHXHat / count;
                for (int i = 0; i < count; i++) {
                    double h = g[base + i] * (gamma == null ? 1.0 : gamma[grp * perGroup + i / spatial]);
                    gradX[base + i] = (float) (invStd[block] * (h - meanH - normalized[base + i] * meanHXHat));
                }
            }
        }
    }
}
