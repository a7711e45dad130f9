package kindling.autograd;

/**
 * A scope in which no operation records itself for backward, as PyTorch's {@code torch.no_grad()}.
 * Use it for evaluation and for optimizer updates:
 * <pre>
 *   try (NoGrad scope = NoGrad.enter()) {
 *       weight.sub_(weight.grad().mul(lr));   // an update, not part of the model
 *   }
 * </pre>
 * Scopes nest: closing one restores whatever mode was in force when it was entered.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;
    private boolean closed;

    private NoGrad() {
        previous = GradMode.isEnabled();
        GradMode.set(false);
    }

    /** Turns recording off until {@link #close()}. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        if (!closed) {
            GradMode.set(previous);
            closed = true;
        }
    }
}
