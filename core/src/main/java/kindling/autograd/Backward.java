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
 * Unless the graph is retained, each function frees its saved tensors and lets go of its inputs once
 * it has run, so that a loss kept after backward keeps no activation alive.
 *
 * <p>A leaf's first gradient becomes its {@code grad} without a copy when nothing else can see that
 * gradient's storage, as PyTorch's {@code AccumulateGrad} steals a gradient nobody else holds: an
 * optimizer or {@code GradClip} later writes {@code grad} in place, so a storage shared with another
 * gradient, a view, or the gradient the caller passed to backward must be copied. The walk keeps the
 * storages of every gradient it has handed out (the caller's, those waiting for their function, those
 * given to leaves and to retained outputs); a leaf takes its gradient as is only on the first sighting
 * of a storage the gradient covers whole, in order, from its start. Everything else is copied. For a
 * large activation this saves a whole array allocated, zeroed and copied per leaf and step.
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
            Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            seen.add(gradient.storage());              // the caller's gradient is theirs: never taken
            Function rootFn = root.gradFn();
            if (rootFn == null) {
                accumulateGrad(root, gradient, seen);
                return;
            }
            Map<Function, Tensor> pending = new IdentityHashMap<>();
            pending.put(rootFn, gradient);
            for (Function fn : reverseTopologicalOrder(rootFn)) {
                Tensor gradOutput = pending.remove(fn);
                if (gradOutput == null) {
                    continue;                          // no path from root carries a gradient here
                }
                Tensor retained = fn.retainedOutput();
                if (retained != null) {
                    accumulateGrad(retained, gradOutput, seen);
                }
                Tensor[] gradInputs = fn.runBackward(gradOutput);
                List<Tensor> inputs = fn.inputs();
                for (int i = 0; i < gradInputs.length; i++) {
                    Tensor input = inputs.get(i);
                    if (input == null || gradInputs[i] == null || !input.requiresGrad()) {
                        continue;
                    }
                    Function producer = input.gradFn();
                    if (producer == null) {
                        accumulateGrad(input, gradInputs[i], seen);
                    } else {
                        seen.add(gradInputs[i].storage());
                        seen.add(pending.merge(producer, gradInputs[i], Tensor::add).storage());
                    }
                }
                if (!retainGraph) {
                    fn.release();
                }
            }
        }
    }

    /**
     * {@code tensor.grad += gradient}. The first gradient is taken as is when {@link #ownsStorage} says
     * no one else can see it, else copied, so that no two grads, and no grad and another gradient of
     * this pass, share storage. {@code seen} holds the storages handed out so far in this pass.
     */
    private static void accumulateGrad(Tensor tensor, Tensor gradient, Set<float[]> seen) {
        Tensor current = tensor.grad();
        boolean firstSighting = seen.add(gradient.storage());
        if (current != null) {
            tensor.setGrad(current.add(gradient));
        } else if (firstSighting && ownsStorage(gradient)) {
            tensor.setGrad(gradient);
        } else {
            tensor.setGrad(gradient.copy());
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
                Tensor input = inputs.get(i);
                Function producer = input == null ? null : input.gradFn();
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
