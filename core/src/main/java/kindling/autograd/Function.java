package kindling.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * A node of the autograd graph: one differentiable operation that has run. Each op is a
 * {@code final} subclass with its forward and backward side by side (see {@code kindling.ops}).
 *
 * <p>The pattern every op follows, here for {@code c = a · b} elementwise:
 * <!-- not compiled: the outline of an op class; MulOp.java in kindling.ops is the whole of it -->
 * <pre>
 *   static Tensor apply(Tensor a, Tensor b) {
 *       Tensor out = ...compute a·b with a plain loop...;
 *       if (!Function.needsGrad(a, b)) return out;        // nothing to record
 *       MulOp op = new MulOp();
 *       op.a = op.save(a);  op.b = op.save(b);            // what backward will need
 *       return op.record(out, a, b);                      // out.gradFn = op, edges to a and b
 *   }
 *   protected Tensor[] backward(Tensor gradOutput) {      // ∂L/∂a = ∂L/∂c · b,  ∂L/∂b = ∂L/∂c · a
 *       return new Tensor[] {gradOutput.mul(b.get()), gradOutput.mul(a.get())};
 *   }
 * </pre>
 * {@code backward} runs with recording off and returns one gradient per input, each with that
 * input's shape, or {@code null} where {@link #needsInputGrad(int)} is false.
 */
public abstract class Function {
    private Tensor[] inputs;
    private Function[] producers;
    private boolean[] inputRequiresGrad;
    private final List<Saved> saved = new ArrayList<>();
    private boolean released;
    private Tensor retainedOutput;
    private boolean gradOutputWritable;

    /** True when recording is on and at least one input requires grad. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor input : inputs) {
            if (input != null && input.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes {@code output} the result of this function: sets its {@code gradFn} and remembers the
     * inputs as the graph's edges. Returns {@code output} for chaining.
     *
     * <p>Each edge is fixed now, as PyTorch's edges point at {@code grad_fn} nodes: the function that
     * produced each input (its {@code gradFn} at this moment, or none for a leaf) and whether the input
     * required grad. An in-place op may later give an input a new {@code gradFn} ({@link #recordInPlace});
     * this function's gradient still goes to the producer of the values it read.
     */
    protected final Tensor record(Tensor output, Tensor... inputs) {
        captureEdges(inputs);
        output.setGradFn(this);
        return output;
    }

    /**
     * Makes this function the new {@code gradFn} of {@code target}, which an in-place op has just
     * overwritten; {@code target} is also among {@code inputs} (usually first), so this function's edge
     * for it leads to the function that produced its old values. Ops recorded earlier keep their edges to
     * that old producer. A {@link #retainGradOf retained} gradient of {@code target} follows it to the new
     * values, as PyTorch's {@code retain_grad} does. Call it after the write, and after saving what
     * backward needs (a saved {@code target} must carry the version after the write).
     */
    protected final Tensor recordInPlace(Tensor target, Tensor... inputs) {
        captureEdges(inputs);
        Function previous = target.gradFn();
        if (previous != null && previous.retainedOutput == target) {
            previous.retainedOutput = null;
            retainedOutput = target;
        }
        target.rebaseHistory(this);
        return target;
    }

    private void captureEdges(Tensor[] inputs) {
        this.inputs = inputs.clone();
        producers = new Function[inputs.length];
        inputRequiresGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                producers[i] = inputs[i].gradFn();
                inputRequiresGrad[i] = inputs[i].requiresGrad();
            }
        }
    }

    /**
     * The array a recorded in-place op on {@code target} writes into: its storage itself. Refuses, before
     * anything is written, a write that autograd could not follow: a leaf that requires grad (PyTorch's
     * rule: change it only inside {@link NoGrad}), and a tensor whose storage a view shares. A view and
     * its base are two tensors over one storage; after a recorded write through one, the other's
     * {@code gradFn} would not know of it, and its gradient would be silently wrong (PyTorch rebases the
     * views with {@code CopySlices}; Kindling refuses instead). A tensor that no view shares is the whole
     * of its storage, in order (checked all the same). {@code others} are the op's other operands, named in the message.
     */
    protected static float[] inPlaceStorage(String op, Tensor target, Tensor... others) {
        if (target.requiresGrad() && target.isLeaf()) {
            throw new IllegalStateException(op + ": a leaf tensor that requires grad cannot be changed in place "
                    + "while recording; wrap the update in try (NoGrad scope = NoGrad.enter()) { ... }");
        }
        if (target.hasViews()) {
            StringBuilder shapes = new StringBuilder(Shape.format(target.shape()));
            for (Tensor other : others) {
                shapes.append(" and ").append(Shape.format(other.shape()));
            }
            throw new IllegalStateException(op + " on " + shapes + ": the tensor being changed shares its storage "
                    + "with a view (view, reshape, flatten, narrow, slice, select, expand, permute, transpose...) "
                    + "and the op would be recorded; autograd cannot follow an in-place change through a view in "
                    + "Kindling. Use the out-of-place op, or copy() the tensor first.");
        }
        float[] values = target.data();
        if (values != target.storage()) {
            throw new IllegalStateException(op + ": the tensor " + Shape.format(target.shape())
                    + " does not cover its storage in order; use the out-of-place op");
        }
        return values;
    }

    /**
     * Keeps {@code tensor} for backward, with the version of its storage now. If the tensor is
     * changed in place before backward, {@link Saved#get()} fails instead of giving a wrong gradient.
     */
    protected final Saved save(Tensor tensor) {
        Saved handle = new Saved(this, tensor);
        saved.add(handle);
        return handle;
    }

    /** Whether input {@code index} needs a gradient: skip the work when it does not. */
    protected final boolean needsInputGrad(int index) {
        return inputRequiresGrad[index];
    }

    /**
     * Whether {@link #backward} may write its result into {@code gradOutput}'s storage instead of a new
     * array, and hand that storage on as an input's gradient. {@link Backward} says yes only when no one
     * else can see the storage: not the caller's gradient, not a tensor's {@code grad}, no other
     * gradient still waiting in the walk, and {@code gradOutput} covers its whole storage in order. A
     * ReLU's or sigmoid's backward then masks the gradient where it lies, and batch norm's writes ∂L/∂x
     * over it, which saves allocating (and the JVM zeroing) a new array as large as the activation.
     */
    protected final boolean mayOverwriteGradOutput() {
        return gradOutputWritable;
    }

    /**
     * Where {@link #backward} should write an input's gradient shaped like {@code gradOutput}: its
     * backing array when {@link #mayOverwriteGradOutput()} (then {@code gradOutput.data()} is that array,
     * not a copy), else a new array of {@code gradOutput.numel()} zeros. Pass the result, once written,
     * to {@link #gradInputTensor}.
     */
    protected final float[] gradInputArray(Tensor gradOutput) {
        return mayOverwriteGradOutput() ? gradOutput.data() : new float[gradOutput.numel()];
    }

    /**
     * The gradient tensor for an array from {@link #gradInputArray}: {@code gradOutput} itself when
     * {@code dx} is its backing array (written over in place), else {@code dx} wrapped in
     * {@code gradOutput}'s shape.
     */
    protected final Tensor gradInputTensor(float[] dx, Tensor gradOutput) {
        if (mayOverwriteGradOutput() && dx == gradOutput.data()) {
            return gradOutput;
        }
        return Tensor.wrap(dx, gradOutput.shape());
    }

    /** Maps the gradient of the output to the gradients of the inputs. Runs with recording off. */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** The op's name as it shows in {@code toString}, error messages and the DOT graph. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** The inputs this function was applied to: the edges the backward walk follows. */
    public List<Tensor> inputs() {
        return inputs == null ? List.of() : Arrays.asList(inputs);
    }

    /**
     * The function that produced input {@code index} when this function was recorded (null for a leaf or
     * constant): where the backward walk sends that input's gradient, as PyTorch's {@code next_functions}.
     * It differs from {@code inputs().get(index).gradFn()} once an in-place op has changed the input since.
     */
    public Function producer(int index) {
        return producers[index];
    }

    /** Whether input {@code index} required grad when this function was recorded: whether a gradient flows to it. */
    final boolean inputRequiresGrad(int index) {
        return inputRequiresGrad[index];
    }

    /**
     * Whether a backward pass without {@code retainGraph} has gone through this function and freed
     * what it kept: its saved tensors, its inputs and a retained output.
     */
    public boolean isReleased() {
        return released;
    }

    /**
     * Asks backward to store the gradient of this function's output in {@code output.grad()}, as
     * PyTorch's {@code retain_grad()}: intermediate tensors do not keep their gradient otherwise.
     */
    public final void retainGradOf(Tensor output) {
        if (output.gradFn() != this) {
            throw new IllegalArgumentException("retainGrad: the tensor was not produced by " + name());
        }
        retainedOutput = output;
    }

    final Tensor retainedOutput() {
        return retainedOutput;
    }

    /**
     * Frees what this function kept for backward, so that a finished graph holds no activations.
     * The inputs go too: they are the activations of the layers before, and an input that stayed
     * would keep its own function, that function's inputs, and so the whole step reachable from a
     * loss a training loop keeps for logging. A released function has no edges left
     * ({@link #inputs()} is empty); a second backward through it fails in {@link #runBackward}.
     */
    final void release() {
        for (Saved handle : saved) {
            handle.clear();
        }
        saved.clear();
        inputs = null;
        producers = null;
        retainedOutput = null;
        released = true;
    }

    /**
     * Runs {@link #backward} and checks that each gradient has its input's shape; {@code writable} is
     * what {@link #mayOverwriteGradOutput()} answers meanwhile.
     */
    final Tensor[] runBackward(Tensor gradOutput, boolean writable) {
        if (released) {
            throw new IllegalStateException("backward: trying to backward through the graph a second time"
                    + " (through " + name() + "), but its saved tensors and inputs were freed by the first"
                    + " backward. Specify retainGraph, backward(gradient, true), the first time if you need"
                    + " to backward through the graph again.");
        }
        gradOutputWritable = writable;
        Tensor[] gradInputs;
        try {
            gradInputs = backward(gradOutput);
        } finally {
            gradOutputWritable = false;
        }
        if (gradInputs.length != inputs.length) {
            throw new IllegalStateException(name() + ".backward returned " + gradInputs.length
                    + " gradients for " + inputs.length + " inputs");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (gradInputs[i] != null && inputs[i] != null
                    && !Shape.same(gradInputs[i].shape(), inputs[i].shape())) {
                throw new IllegalStateException(name() + ".backward: gradient for input " + i + " has shape "
                        + Shape.format(gradInputs[i].shape()) + " but the input has shape "
                        + Shape.format(inputs[i].shape()));
            }
        }
        return gradInputs;
    }

    @Override
    public String toString() {
        return name();
    }
}
