package kindling.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Reverse-mode differentiation: the walk behind {@link Tensor#backward()}.
 *
 * <ol>
 *   <li>Order the functions behind the root so that each comes before the functions that produced
 *       its inputs (a reverse topological order), with an explicit stack: an unrolled RNN is a
 *       chain deep enough to overflow Java's call stack if this were recursive.</li>
 *   <li>Give the root its gradient (1 for a scalar loss).</li>
 *   <li>Visit the functions in that order. Each maps the gradient of its output to gradients of
 *       its inputs. A gradient for a leaf (a tensor the user created with requiresGrad) is added
 *       into its {@code grad}; a gradient for an intermediate tensor is added to what its
 *       function has received so far. Adding, never assigning, is what makes a tensor used twice
 *       get the sum of both uses: ∂L/∂x = Σ over uses.</li>
 * </ol>
 * The edges are the ones each function fixed when it was recorded ({@link Function#producer}), not
 * the inputs' {@code gradFn} now: an in-place op gives its tensor a new {@code gradFn}, and the ops that
 * read the tensor before still send their gradients to the function that produced the old values.
 *
 * <p>Unless the graph is retained, each function frees its saved tensors and lets go of its inputs once
 * it has run, so that a loss kept after backward keeps no activation alive.
 *
 * <p>Who may own a gradient's storage. An optimizer or {@code GradClip} later writes a leaf's {@code grad}
 * in place, and the backward of a ReLU, sigmoid, tanh, exponential, GELU, product or batch norm can
 * write its result over the gradient it received (as the walk itself adds one gradient into another
 * where two meet), so the walk tracks who can see each gradient storage: the storages pinned for good (the gradient the
 * caller passed, and every storage that became some tensor's {@code grad}) and, for each storage, how
 * many gradients waiting in the walk use it. A storage is free when it is not pinned, no waiting
 * gradient uses it, and the gradient covers all of it in row-major order from its start (so it is not
 * a slice or a stride-0 expansion another tensor looks at too). A leaf's first gradient becomes its
 * {@code grad} as is when its storage is free, as PyTorch's {@code AccumulateGrad} steals a gradient
 * nobody else holds, and is copied otherwise; a function whose incoming gradient is free may overwrite
 * it ({@link Function#mayOverwriteGradOutput()}); the two gradients of a tensor used twice are added
 * into one of them when it is free. For a large activation each saves a whole array
 * allocated, zeroed by the JVM and written, per step.
 */
public final class Backward {
    private Backward() {
    }

    /** Back-propagates {@code gradient} (shaped like {@code root}) into every leaf behind root. */
    public static void run(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor " + Shape.format(root.shape())
                    + " does not require grad and has no gradFn; did you forget requiresGrad_() on an input, "
                    + "or compute it inside NoGrad?");
        }
        if (!Shape.same(gradient.shape(), root.shape())) {
            throw new ShapeException("backward: gradient of shape " + Shape.format(gradient.shape())
                    + " does not match the tensor's shape " + Shape.format(root.shape()));
        }
        try (NoGrad scope = NoGrad.enter()) {
            Ownership owners = new Ownership();
            owners.pin(gradient);                      // the caller's gradient is theirs: never taken
            Function rootFn = root.gradFn();
            if (rootFn == null) {
                accumulateGrad(root, gradient, owners);
                return;
            }
            Map<Function, Tensor> pending = new IdentityHashMap<>();
            pending.put(rootFn, gradient);
            owners.hold(gradient);
            for (Function fn : reverseTopologicalOrder(rootFn)) {
                Tensor gradOutput = pending.remove(fn);
                if (gradOutput == null) {
                    continue;                          // no path from root carries a gradient here
                }
                owners.drop(gradOutput);
                Tensor retained = fn.retainedOutput();
                if (retained != null) {
                    accumulateGrad(retained, gradOutput, owners);   // pins gradOutput if it becomes the grad
                }
                Tensor[] gradInputs = fn.runBackward(gradOutput, owners.isFree(gradOutput));
                List<Tensor> inputs = fn.inputs();
                // Count every gradient this function hands out before giving any of them away, so that
                // a leaf takes a storage only when no other input of this function receives it too.
                boolean[] flows = new boolean[gradInputs.length];
                for (int i = 0; i < gradInputs.length; i++) {
                    Tensor input = inputs.get(i);
                    flows[i] = input != null && gradInputs[i] != null && fn.inputRequiresGrad(i);
                    if (flows[i]) {
                        owners.hold(gradInputs[i]);
                    }
                }
                for (int i = 0; i < gradInputs.length; i++) {
                    if (!flows[i]) {
                        continue;
                    }
                    Function producer = fn.producer(i);      // fixed when fn was recorded
                    if (producer == null) {
                        owners.drop(gradInputs[i]);
                        accumulateGrad(inputs.get(i), gradInputs[i], owners);
                        continue;
                    }
                    Tensor waiting = pending.get(producer);
                    if (waiting == null) {
                        pending.put(producer, gradInputs[i]);
                    } else {                           // a tensor used twice: its gradients add up
                        owners.drop(waiting);
                        owners.drop(gradInputs[i]);
                        Tensor sum = addUp(waiting, gradInputs[i], owners);
                        owners.hold(sum);
                        pending.put(producer, sum);
                    }
                }
                if (!retainGraph) {
                    fn.release();
                }
            }
        }
    }

    /**
     * {@code tensor.grad += gradient}. The first gradient is taken as is when its storage is free (see
     * the class comment), and that storage is pinned from then on; otherwise it is copied, so that no
     * two grads, and no grad and another gradient of this pass, share storage.
     */
    private static void accumulateGrad(Tensor tensor, Tensor gradient, Ownership owners) {
        Tensor current = tensor.grad();
        if (current != null) {
            tensor.setGrad(current.add(gradient));
        } else if (owners.isFree(gradient)) {
            tensor.setGrad(gradient);
            owners.pin(gradient);
        } else {
            tensor.setGrad(gradient.copy());
        }
    }

    /**
     * {@code waiting + gradient}, the two gradients of a tensor used twice. The sum is written into
     * whichever of the two no one else can see (the class comment), as PyTorch's engine adds a gradient
     * into a buffer it owns, and into a new tensor only when both are seen elsewhere. A residual block's
     * shortcut meets its main branch here on every step: writing in place saves an array as large as the
     * block's activation. Float addition is commutative, so either way the sum is the same to the bit.
     */
    private static Tensor addUp(Tensor waiting, Tensor gradient, Ownership owners) {
        if (waiting.storage() != gradient.storage()) {             // x + x: both are one storage, add anew
            if (owners.isFree(waiting)) {
                return waiting.add_(gradient);
            }
            if (owners.isFree(gradient)) {
                return gradient.add_(waiting);
            }
        }
        return waiting.add(gradient);
    }

    /**
     * The walk's record of who can see each gradient storage: the pinned storages, and how many
     * gradients waiting for their function (or about to be given to a leaf) use each other storage.
     */
    private static final class Ownership {
        private final Set<float[]> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<float[], Integer> users = new IdentityHashMap<>();

        void pin(Tensor gradient) {
            pinned.add(gradient.storage());
        }

        void hold(Tensor gradient) {
            users.merge(gradient.storage(), 1, Integer::sum);
        }

        void drop(Tensor gradient) {
            users.computeIfPresent(gradient.storage(), (storage, count) -> count == 1 ? null : count - 1);
        }

        /** Whether no one but the current holder of {@code gradient} can see its storage. */
        boolean isFree(Tensor gradient) {
            return !pinned.contains(gradient.storage()) && !users.containsKey(gradient.storage())
                    && ownsStorage(gradient);
        }
    }

    /**
     * Whether {@code gradient} covers its whole storage in row-major order from its start (offset 0, as
     * many elements as the storage, contiguous): then no part of the storage lies outside it, and a
     * stride-0 expansion or a slice, which another tensor could also be looking at, is excluded.
     */
    private static boolean ownsStorage(Tensor gradient) {
        return gradient.storageOffset() == 0 && gradient.storage().length == gradient.numel()
                && gradient.isContiguous();
    }

    /**
     * Every function reachable from {@code root}, each listed before the producers of its inputs.
     * Depth-first with an explicit stack: a function is emitted after all its producers (post-order),
     * and the reversed list is the order backward needs.
     */
    public static List<Function> reverseTopologicalOrder(Function root) {
        List<Function> postOrder = new ArrayList<>();
        Set<Function> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Function> stack = new ArrayDeque<>();
        Deque<Integer> nextInput = new ArrayDeque<>();   // per stack frame: which input to visit next
        stack.push(root);
        nextInput.push(0);
        visited.add(root);
        while (!stack.isEmpty()) {
            Function fn = stack.peek();
            int i = nextInput.pop();
            List<Tensor> inputs = fn.inputs();
            if (i < inputs.size()) {
                nextInput.push(i + 1);
                Function producer = fn.producer(i);
                if (producer != null && visited.add(producer)) {
                    stack.push(producer);
                    nextInput.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(fn);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
