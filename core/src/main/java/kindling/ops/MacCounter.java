package kindling.ops;

/**
 * Counts the multiply-accumulates (MACs) done by the ops that carry a network's arithmetic, so a
 * model summary can report them from a real forward pass instead of from a formula per layer.
 * <pre>
 *   try (MacCounter.Counting counting = MacCounter.start()) {
 *       model.forward(x);
 *       long macs = counting.total();       // e.g. 429,400 for one 28×28 image through d2l's LeNet
 *   }
 * </pre>
 * Ops that multiply and add call {@link #add(long)}: {@code matmul} adds M·K·N per matrix product,
 * a convolution adds N·C_out·H_out·W_out·(C_in/groups)·k_h·k_w. Elementwise ops are not counted, as
 * in the usual convention (torchinfo, the papers' tables). Counting is per thread and off unless a
 * {@link Counting} scope is open, so the cost outside a summary is one thread-local read.
 */
public final class MacCounter {
    private static final ThreadLocal<Counting> ACTIVE = new ThreadLocal<>();

    private MacCounter() {
    }

    /** Opens a counting scope on this thread; scopes nest, each seeing the MACs done inside it. */
    public static Counting start() {
        Counting counting = new Counting(ACTIVE.get());
        ACTIVE.set(counting);
        return counting;
    }

    /** Records {@code macs} multiply-accumulates in every open scope of this thread. */
    public static void add(long macs) {
        for (Counting c = ACTIVE.get(); c != null; c = c.outer) {
            c.total += macs;
        }
    }

    /** An open counting scope; close it (try-with-resources) to stop counting. */
    public static final class Counting implements AutoCloseable {
        private final Counting outer;
        private long total;

        private Counting(Counting outer) {
            this.outer = outer;
        }

        /** The MACs recorded since this scope opened. */
        public long total() {
            return total;
        }

        @Override
        public void close() {
            if (ACTIVE.get() != this) {
                throw new IllegalStateException("MacCounter scopes must close innermost first");
            }
            ACTIVE.set(outer);
        }
    }
}
