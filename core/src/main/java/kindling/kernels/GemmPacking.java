package kindling.kernels;

/**
 * Copies blocks of op(A) and op(B) into small contiguous buffers ("packing") for the fast kernels.
 *
 * <p>Why pack: the micro-kernel reads A and B in exactly the order it needs them, one contiguous
 * stream each, whatever the transpose flags and leading dimensions. Transposition is resolved here,
 * once per block, instead of in the inner loop; and each packed block is small enough to stay in cache
 * while it is reused many times.
 *
 * <p>Layout ("panels"): a block is cut into panels of {@code panelWidth} rows (A) or columns (B).
 * Inside a panel the values are stored step by step along k:
 * <pre>
 *   packed A:  dst[q·panelRows·depth + p·panelRows + r] = op(A)[row0 + q·panelRows + r][p0 + p]
 *   packed B:  dst[q·panelCols·depth + p·panelCols + c] = op(B)[p0 + p][col0 + q·panelCols + c]
 * </pre>
 * Rows or columns past the end of the matrix are padded with 0, so the micro-kernel always works on
 * whole panels and never needs a bounds test in its inner loop. ({@code GemmSimd}'s vector packing of
 * B stored k×n leaves other values in the narrow last panel's padding columns instead: they only meet
 * columns of C that are never stored.)
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /** Number of floats {@link #packA}/{@link #packB} writes for {@code count} rows/cols of {@code depth}. */
    static int packedSize(int count, int depth, int panelWidth) {
        int panels = (count + panelWidth - 1) / panelWidth;
        return panels * panelWidth * depth;
    }

    /** Packs op(A)[row0 .. row0+rows) × [p0 .. p0+depth) into panels of {@code panelRows} rows. */
    static void packA(boolean transA, float[] a, int aOffset, int lda,
                      int row0, int rows, int p0, int depth, int panelRows, float[] dst) {
        packA(transA, a, aOffset, lda, row0, rows, p0, depth, panelRows, dst, 0);
    }

    /** {@link #packA(boolean, float[], int, int, int, int, int, int, int, float[])} into dst from {@code dstOffset}. */
    static void packA(boolean transA, float[] a, int aOffset, int lda,
                      int row0, int rows, int p0, int depth, int panelRows, float[] dst, int dstOffset) {
        for (int panelStart = 0; panelStart < rows; panelStart += panelRows) {
            int panelBase = dstOffset + panelStart * depth;  // = panel index · panelRows · depth
            int validRows = Math.min(panelRows, rows - panelStart);
            if (transA) {
                // A stored k×m: op(A)[i][p] = A[p][i], so one step p is a contiguous run of rows i.
                for (int p = 0; p < depth; p++) {
                    int src = aOffset + (p0 + p) * lda + row0 + panelStart;
                    int out = panelBase + p * panelRows;
                    for (int r = 0; r < validRows; r++) {
                        dst[out + r] = a[src + r];
                    }
                    for (int r = validRows; r < panelRows; r++) {
                        dst[out + r] = 0f;
                    }
                }
            } else {
                // A stored m×k: read each row contiguously, write it with stride panelRows.
                for (int r = 0; r < panelRows; r++) {
                    int out = panelBase + r;
                    if (r < validRows) {
                        int src = aOffset + (row0 + panelStart + r) * lda + p0;
                        for (int p = 0; p < depth; p++) {
                            dst[out + p * panelRows] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < depth; p++) {
                            dst[out + p * panelRows] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** Packs op(B)[p0 .. p0+depth) × [col0 .. col0+cols) into panels of {@code panelCols} columns. */
    static void packB(boolean transB, float[] b, int bOffset, int ldb,
                      int p0, int depth, int col0, int cols, int panelCols, float[] dst) {
        packB(transB, b, bOffset, ldb, p0, depth, col0, cols, panelCols, dst, 0);
    }

    /** {@link #packB(boolean, float[], int, int, int, int, int, int, int, float[])} into dst from {@code dstOffset}. */
    static void packB(boolean transB, float[] b, int bOffset, int ldb,
                      int p0, int depth, int col0, int cols, int panelCols, float[] dst, int dstOffset) {
        if (transB) {
            // B stored n×k: op(B)[p][j] = B[j][p]; read each stored row j contiguously along p.
            int paddedCols = (cols + panelCols - 1) / panelCols * panelCols;
            for (int j = 0; j < paddedCols; j++) {
                int out = dstOffset + (j / panelCols) * panelCols * depth + j % panelCols;
                if (j < cols) {
                    int src = bOffset + (col0 + j) * ldb + p0;
                    for (int p = 0; p < depth; p++) {
                        dst[out + p * panelCols] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < depth; p++) {
                        dst[out + p * panelCols] = 0f;
                    }
                }
            }
        } else {
            // B stored k×n: read one stored row p at a time, contiguously, and deal it out to the
            // panels. (Panel by panel instead would read 64 bytes from each of depth rows: a page
            // apart when n ≥ 1024, one TLB miss per read.)
            for (int p = 0; p < depth; p++) {
                int src = bOffset + (p0 + p) * ldb + col0;
                for (int panelStart = 0; panelStart < cols; panelStart += panelCols) {
                    int out = dstOffset + panelStart * depth + p * panelCols;
                    int validCols = Math.min(panelCols, cols - panelStart);
                    for (int c = 0; c < validCols; c++) {
                        dst[out + c] = b[src + panelStart + c];
                    }
                    for (int c = validCols; c < panelCols; c++) {
                        dst[out + c] = 0f;
                    }
                }
            }
        }
    }

    /**
     * C[i][j] = β · C[i][j] on a rows × cols block, and C = 0 when β = 0 without reading C
     * (so NaN already in C does not survive). The fast kernels do this once per block of C and then
     * only accumulate into it.
     */
    static void scale(int rows, int cols, float beta, float[] c, int cIndex, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            int row = cIndex + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + cols, 0f);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and reused, so a training loop does not churn the GC. */
    static final class Buffers {
        private static final ThreadLocal<Buffers> PER_THREAD = ThreadLocal.withInitial(Buffers::new);

        private float[] packedA = new float[0];
        private float[] packedB = new float[0];
        private float[] scratch = new float[0];
        private float[][] packedBRows = new float[0][0];
        private float[] sharedB = new float[0];
        private int[] gatherMap = new int[0];
        private int gatherMapKey = -1;

        static Buffers forCurrentThread() {
            return PER_THREAD.get();
        }

        float[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new float[size];
            }
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) {
                packedB = new float[size];
            }
            return packedB;
        }

        /**
         * A packed B block that the threads of one product share (so kept apart from {@link #packedB},
         * which the calling thread's own tiles use).
         */
        float[] sharedB(int size) {
            if (sharedB.length < size) {
                sharedB = new float[size];
            }
            return sharedB;
        }

        /** At least {@code rows} arrays of at least {@code cols} floats each. */
        float[][] packedBRows(int rows, int cols) {
            if (packedBRows.length < rows || packedBRows[0].length < cols) {
                packedBRows = new float[rows][cols];
            }
            return packedBRows;
        }

        /**
         * The index maps of {@code GemmSimd}'s gathers that pack A, for panels of {@code tall} rows (at
         * [0, tall·lanes)) and of {@code shortRows} rows (after them), rows {@code lda} apart:
         * {@code map[f] = (f mod height)·lda + f / height}. Remade only when lda or the sizes change.
         */
        int[] gatherMap(int tall, int shortRows, int lanes, int lda) {
            int size = (tall + shortRows) * lanes;
            if (gatherMapKey != lda || gatherMap.length != size) {
                gatherMap = new int[size];
                for (int f = 0; f < tall * lanes; f++) {
                    gatherMap[f] = (f % tall) * lda + f / tall;
                }
                for (int f = 0; f < shortRows * lanes; f++) {
                    gatherMap[tall * lanes + f] = (f % shortRows) * lda + f / shortRows;
                }
                gatherMapKey = lda;
            }
            return gatherMap;
        }

        float[] scratch(int size) {
            if (scratch.length < size) {
                scratch = new float[size];
            }
            return scratch;
        }
    }
}
