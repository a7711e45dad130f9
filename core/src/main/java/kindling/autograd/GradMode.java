package kindling.autograd;

/**
 * Whether operations record themselves on the graph. On by default; off inside a {@link NoGrad}
 * scope and while {@code backward} runs. Kept per thread, as in PyTorch, so a data-loading thread
 * never turns recording off for the training thread.
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    static void set(boolean enabled) {
        ENABLED.set(enabled);
    }
}
