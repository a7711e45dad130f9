package kindling.optim;

/**
 * Changes an optimizer's learning rate once per epoch, as {@code torch.optim.lr_scheduler}:
 * <pre>
 *   for (int epoch = 0; epoch &lt; epochs; epoch++) {
 *       for (Batch batch : trainLoader) {
 *           optimizer.zeroGrad();
 *           lossFunction.forward(model.forward(batch.inputs()), batch.targets()).backward();
 *           optimizer.step();
 *       }
 *       scheduler.step();          // after the epoch's optimizer steps, as PyTorch warns
 *   }
 * </pre>
 * Like PyTorch 1.13, each scheduler computes the new lr from the optimizer's current lr (the
 * "chainable" recursions), so two schedulers on one optimizer compose: a {@link LinearLR} warm-up
 * multiplies whatever an {@link ExponentialLR} decay produces. Each subclass documents the closed
 * form its recursion follows when it runs alone.
 *
 * <p>Construction is epoch 0: the scheduler remembers the optimizer's lr as the base lr γ₀ (PyTorch's
 * {@code initial_lr}) and applies its epoch-0 lr at once (only {@link LinearLR} changes it then).
 * Subclasses call {@link #initialStep()} at the end of their constructor, once their fields are set.
 * Arithmetic is in double, as in PyTorch's Python floats; the optimizer stores the result as float.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    /** γ₀: the optimizer's lr when the scheduler was created. */
    protected final double baseLr;
    private int lastEpoch = -1;
    private float lastLr;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseLr = optimizer.getLr();
    }

    /**
     * The lr for epoch {@link #lastEpoch()} given the current lr, the value PyTorch's
     * {@code get_lr()} returns.
     */
    protected abstract double nextLr(double currentLr);

    /** Epoch 0: to be called once, at the end of each subclass constructor. */
    protected final void initialStep() {
        if (lastEpoch != -1) {
            throw new IllegalStateException(getClass().getSimpleName() + ": initialStep called twice");
        }
        step();
    }

    /** Advances one epoch and sets the optimizer's lr for it. */
    public void step() {
        lastEpoch++;
        lastLr = (float) nextLr(optimizer.getLr());
        optimizer.setLr(lastLr);
    }

    /** The lr this scheduler set last, as PyTorch's {@code get_last_lr()[0]}. */
    public float getLastLr() {
        return lastLr;
    }

    /** How many times {@link #step()} has run since construction (0 right after it). */
    public int lastEpoch() {
        return lastEpoch;
    }
}
