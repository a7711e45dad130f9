package kindling.optim;

import java.util.ArrayList;
import java.util.List;

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
 * <p>Construction is epoch 0: the scheduler remembers each parameter group's lr as that group's base
 * lr γ₀ (PyTorch's {@code initial_lr}) and applies its epoch-0 lr at once (only {@link LinearLR}
 * changes it then). Every step applies the same rule to every group, so groups keep their ratios:
 * a base trained at γ/10 beside a head at γ stays at a tenth through a cosine decay. A group added
 * to the optimizer after the scheduler was made takes its lr at that time as its γ₀.
 * Subclasses call {@link #initialStep()} at the end of their constructor, once their fields are set.
 * Arithmetic is in double, as in PyTorch's Python floats; the optimizer stores the result as float.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    /** γ₀ of each group: its lr when the scheduler was created (or when the group was added). */
    private final List<Double> baseLrs = new ArrayList<>();
    private int lastEpoch = -1;
    private final List<Float> lastLrs = new ArrayList<>();

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        for (ParamGroup group : optimizer.paramGroups()) {
            baseLrs.add((double) group.lr());
        }
    }

    /**
     * The lr of one group for epoch {@link #lastEpoch()} given its current lr and its base lr γ₀, the
     * value PyTorch's {@code get_lr()} returns for that group.
     */
    protected abstract double nextLr(double currentLr, double baseLr);

    /** Epoch 0: to be called once, at the end of each subclass constructor. */
    protected final void initialStep() {
        if (lastEpoch != -1) {
            throw new IllegalStateException(getClass().getSimpleName() + ": initialStep called twice");
        }
        step();
    }

    /** Advances one epoch and sets every group's lr for it. */
    public void step() {
        lastEpoch++;
        List<ParamGroup> groups = optimizer.paramGroups();
        lastLrs.clear();
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            if (g == baseLrs.size()) {
                baseLrs.add((double) group.lr());
            }
            float lr = (float) nextLr(group.lr(), baseLrs.get(g));
            group.setLr(lr);
            lastLrs.add(lr);
        }
    }

    /** The lr this scheduler set last in the first group, as PyTorch's {@code get_last_lr()[0]}. */
    public float getLastLr() {
        return lastLrs.get(0);
    }

    /** The lr this scheduler set last in each group, as PyTorch's {@code get_last_lr()}. */
    public List<Float> getLastLrs() {
        return List.copyOf(lastLrs);
    }

    /** How many times {@link #step()} has run since construction (0 right after it). */
    public int lastEpoch() {
        return lastEpoch;
    }
}
