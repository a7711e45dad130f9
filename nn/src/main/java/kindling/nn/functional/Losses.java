package kindling.nn.functional;

import kindling.ops.LogSigmoidOp;
import kindling.ops.loss.BinaryCrossEntropyOp;
import kindling.nn.Reduction;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * The loss functions, as PyTorch's {@code torch.nn.functional}: each built from differentiable tensor
 * ops (plus two small ops of this package for the logs that need guarding), so autograd supplies the
 * backward. The modules in {@code kindling.nn} ({@code CrossEntropyLoss}, {@code MSELoss}, ...) hold
 * the options and call these. {@code docs/losses.md} derives each formula.
 *
 * <p>Class indices are stored as floats, as every tensor in Kindling; each must be a whole number in
 * [0, C) or equal to {@code ignoreIndex}.
 */
public final class Losses {
    /** PyTorch's default {@code ignore_index}: a target of −100 contributes nothing. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private Losses() {
    }

    /**
     * Cross-entropy between logits and class indices, with optional class weights and label smoothing.
     * <pre>
     *   log p = logSoftmax(x, dim 1)                                         (stable: no log of a softmax)
     *   ℓ_i   = (1 − ε) · (−w[y_i] · log p[i, y_i])  +  (ε / C) · (−Σ_c w[c] · log p[i, c])
     *   ℓ_i   = 0 where y_i = ignoreIndex
     *   MEAN  = Σ_i ℓ_i / Σ_{i not ignored} w[y_i]           (w = 1 without weights: the count)
     * </pre>
     * Shape: x (N, C) or (N, C, d1, ...) or (C); y (N) or (N, d1, ...) or (); weight (C) or null;
     * NONE gives y's shape (class indices).
     *
     * <p>A target of x's own shape holds class <b>probabilities</b> instead (PyTorch's float targets:
     * mixup, distillation, soft labels), and the loss is the cross-entropy between the two distributions:
     * <pre>
     *   q     = (1 − ε) · y + ε / C
     *   ℓ_i   = −Σ_c w[c] · q[i, c] · log p[i, c]
     *   MEAN  = Σ_i ℓ_i / (N·d1·…)           (the count of positions, whatever the weights)
     * </pre>
     * NONE gives the input's shape without C. The target gets a gradient too, −w[c]·log p[i, c]
     * (scaled), when it requires one. No class can be ignored there: ignoreIndex must be negative
     * (as PyTorch, which refuses an ignore_index of 0 or more with float targets).
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (target.dim() == input.dim()) {
            return crossEntropyWithProbabilities(input, target, weight, ignoreIndex, reduction, labelSmoothing);
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        return negativeLogLikelihood("CrossEntropyLoss", input.logSoftmax(classDim), target, weight, ignoreIndex,
                reduction, labelSmoothing);
    }

    private static Tensor crossEntropyWithProbabilities(Tensor input, Tensor target, Tensor weight, int ignoreIndex,
                                                        Reduction reduction, double labelSmoothing) {
        String loss = "CrossEntropyLoss";
        if (!Shape.same(input.shape(), target.shape())) {                // as many dims: meant as probabilities?
            int[] in = input.shape();
            int[] indices = in.length == 1 ? new int[0] : classIndexShape(in);
            throw new ShapeException(loss + ": expected target " + Shape.format(indices) + " of class indices or "
                    + Shape.format(in) + " of class probabilities for input " + Shape.format(in) + " but got target "
                    + Shape.format(target.shape()));
        }
        if (ignoreIndex >= 0) {
            throw new IllegalArgumentException(loss + ": ignoreIndex " + ignoreIndex
                    + " is not supported with class-probability targets " + Shape.format(target.shape())
                    + " (it must be negative: no class is ignored)");
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        int classes = input.size(classDim);
        checkClassWeight(loss, weight, classes);
        Tensor q = labelSmoothing > 0
                ? target.mul((float) (1 - labelSmoothing)).add((float) (labelSmoothing / classes))
                : target;
        Tensor terms = input.logSoftmax(classDim).mul(q);                              // q[i, c] · log p[i, c]
        if (weight != null) {
            terms = terms.mul(input.dim() == 1 ? weight : weight.reshape(classShape(input.dim(), classes)));
        }
        return reduction.reduce(terms.sum(classDim).neg());                           // ℓ per position, reduced
    }

    /** {@link #crossEntropy(Tensor, Tensor, Tensor, int, Reduction, double)} with PyTorch's defaults. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /**
     * Negative log-likelihood of log-probabilities (the output of a LogSoftmax) at class indices.
     * <pre>
     *   ℓ_i  = −w[y_i] · x[i, y_i]        (0 where y_i = ignoreIndex)
     *   MEAN = Σ_i ℓ_i / Σ_{i not ignored} w[y_i]
     * </pre>
     * Shapes as {@link #crossEntropy}.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return negativeLogLikelihood("NLLLoss", input, target, weight, ignoreIndex, reduction, 0.0);
    }

    private static Tensor negativeLogLikelihood(String loss, Tensor logProbs, Tensor target, Tensor weight,
                                                int ignoreIndex, Reduction reduction, double labelSmoothing) {
        boolean unbatched = logProbs.dim() == 1;
        if (unbatched) {                                       // (C) and () become (1, C) and (1)
            if (target.dim() != 0) {
                throw new ShapeException(loss + ": expected target () for input " + Shape.format(logProbs.shape())
                        + " but got " + Shape.format(target.shape()));
            }
            logProbs = logProbs.unsqueeze(0);
            target = target.reshape(1);
        }
        checkClassTarget(loss, logProbs, target);
        int classes = logProbs.size(1);
        checkClassWeight(loss, weight, classes);
        // The index tensor gather needs (ignored targets point at class 0) and a 0/1 mask of the rest.
        float[] y = target.toArray();
        float[] safe = new float[y.length];
        float[] keep = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            checkClassIndex(loss, y[i], classes, ignoreIndex);
            boolean ignored = y[i] == ignoreIndex;
            safe[i] = ignored ? 0f : y[i];
            keep[i] = ignored ? 0f : 1f;
        }
        Tensor index = Tensor.wrap(safe, target.shape());
        Tensor mask = Tensor.wrap(keep, target.shape());
        Tensor picked = logProbs.gather(1, index.unsqueeze(1)).squeeze(1);          // x[i, y_i]
        Tensor sampleWeight = weight == null ? mask
                : weight.indexSelect(0, index.reshape(-1)).reshape(target.shape()).mul(mask);
        Tensor losses = picked.mul(sampleWeight).neg();
        if (labelSmoothing > 0) {
            Tensor weighted = weight == null ? logProbs : logProbs.mul(weight.reshape(classShape(logProbs.dim(), classes)));
            Tensor smooth = weighted.sum(1).neg().mul(mask);                          // −Σ_c w[c] log p[i, c]
            losses = losses.mul((float) (1 - labelSmoothing)).add(smooth.mul((float) (labelSmoothing / classes)));
        }
        switch (reduction) {
            case MEAN:
                return losses.sum().div(sampleWeight.sum());
            case SUM:
                return losses.sum();
            default:
                return unbatched ? losses.reshape() : losses;
        }
    }

    /** (1, C, 1, ...) with {@code rank} dims: a per-class vector that broadcasts along dim 1. */
    private static int[] classShape(int rank, int classes) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = classes;
        return shape;
    }

    /** A batched input's shape without dim 1, the shape of its class indices: (N, C, d1, ...) → (N, d1, ...). */
    private static int[] classIndexShape(int[] in) {
        int[] shape = new int[in.length - 1];
        shape[0] = in[0];
        System.arraycopy(in, 2, shape, 1, in.length - 2);
        return shape;
    }

    /** Class weights, when given, are one per class: (C). */
    private static void checkClassWeight(String loss, Tensor weight, int classes) {
        if (weight != null && !(weight.dim() == 1 && weight.size(0) == classes)) {
            throw new ShapeException(loss + ": expected weight (" + classes + ") for C=" + classes + " but got "
                    + Shape.format(weight.shape()));
        }
    }

    /** The target must be the input's shape without dim 1: (N, C, d1, ...) → (N, d1, ...). */
    private static void checkClassTarget(String loss, Tensor input, Tensor target) {
        int[] in = input.shape();
        int[] expected = classIndexShape(in);
        if (!Shape.same(expected, target.shape())) {
            throw new ShapeException(loss + ": expected target " + Shape.format(expected) + " of class indices for input "
                    + Shape.format(in) + " but got target " + Shape.format(target.shape()));
        }
    }

    private static void checkClassIndex(String loss, float value, int classes, int ignoreIndex) {
        if (value == ignoreIndex) {
            return;
        }
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException(loss + ": target " + value + " is not a class index (a whole number)");
        }
        if (value < 0 || value >= classes) {
            throw new IllegalArgumentException(loss + ": class index " + (long) value + " is out of range for C="
                    + classes + " (expected 0 <= index < " + classes + ", or ignoreIndex=" + ignoreIndex + ")");
        }
    }

    /** Mean squared error: ℓ_i = (x_i − y_i)². Shape: x and y the same, any. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("MSELoss", input, target);
        Tensor difference = input.sub(target);
        return reduction.reduce(difference.mul(difference));
    }

    /** Mean absolute error: ℓ_i = |x_i − y_i| (gradient 0 where x_i = y_i). Shape: x and y the same, any. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("L1Loss", input, target);
        return reduction.reduce(input.sub(target).abs());
    }

    /**
     * Binary cross-entropy of probabilities x ∈ [0, 1]:
     * {@code ℓ_i = −w_i (y_i · max(log x_i, −100) + (1 − y_i) · max(log(1 − x_i), −100))}.
     * Shape: x and y the same, any; weight broadcast to x or null.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        checkSameShape("BCELoss", input, target);
        for (float x : input.data()) {
            if (!(x >= 0 && x <= 1)) {
                throw new IllegalArgumentException("BCELoss: all elements of input should be between 0 and 1, got " + x
                        + " (pass logits to BCEWithLogitsLoss instead)");
            }
        }
        Tensor losses = BinaryCrossEntropyOp.apply(input, target);
        return reduction.reduce(weight == null ? losses : losses.mul(weight));
    }

    /**
     * Binary cross-entropy of logits, with an optional weight for positives:
     * <pre>
     *   ℓ_i = −w_i · (pw · y_i · log σ(x_i) + (1 − y_i) · log σ(−x_i))
     *       = w_i · (max(x, 0) − x·y + log(1 + e^(−|x|)))            when pw = 1
     * </pre>
     * with log σ computed stably. Shape: x and y the same, (N, *); posWeight broadcast along the last
     * dim (C) or null; weight broadcast to x or null.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        checkSameShape("BCEWithLogitsLoss", input, target);
        Tensor positive = target.mul(LogSigmoidOp.apply(input));
        if (posWeight != null) {
            positive = positive.mul(posWeight);
        }
        Tensor negative = target.neg().add(1f).mul(LogSigmoidOp.apply(input.neg()));
        Tensor losses = positive.add(negative).neg();
        return reduction.reduce(weight == null ? losses : losses.mul(weight));
    }

    /**
     * The p-norm distance between rows, as PyTorch's {@code pairwise_distance}:
     * {@code d(a, b) = ‖a − b + eps‖_p = (Σ_j |a_j − b_j + eps|^p)^(1/p)} over the last dim. The eps
     * keeps the gradient of the norm finite when a = b.
     */
    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps) {
        Tensor difference = x1.sub(x2).add((float) eps).abs();
        if (p == 1) {
            return difference.sum(-1);
        }
        return difference.pow((float) p).sum(-1).pow((float) (1 / p));
    }

    /**
     * Triplet margin loss (Schroff et al. 2015, FaceNet):
     * <pre>
     *   ℓ_i = max(d(a_i, p_i) − d(a_i, n_i) + margin, 0)
     *   swap: d(a_i, n_i) is replaced by min(d(a_i, n_i), d(p_i, n_i))   (Balntas et al. 2016)
     * </pre>
     * with d the {@link #pairwiseDistance}. Shape: anchor, positive, negative all (N, D) or (D).
     */
    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin,
                                           double p, double eps, boolean swap, Reduction reduction) {
        if (!Shape.same(anchor.shape(), positive.shape()) || !Shape.same(anchor.shape(), negative.shape())
                || anchor.dim() < 1 || anchor.dim() > 2) {
            throw new ShapeException("TripletMarginLoss: expected anchor, positive and negative of one shape (N, D) or (D)"
                    + " but got " + Shape.format(anchor.shape()) + ", " + Shape.format(positive.shape()) + " and "
                    + Shape.format(negative.shape()));
        }
        Tensor toPositive = pairwiseDistance(anchor, positive, p, eps);
        Tensor toNegative = pairwiseDistance(anchor, negative, p, eps);
        if (swap) {
            toNegative = toNegative.minimum(pairwiseDistance(positive, negative, p, eps));
        }
        return reduction.reduce(toPositive.sub(toNegative).add((float) margin).clampMin(0f));
    }

    private static void checkSameShape(String loss, Tensor input, Tensor target) {
        if (!Shape.same(input.shape(), target.shape())) {
            throw new ShapeException(loss + ": target shape " + Shape.format(target.shape())
                    + " does not match input shape " + Shape.format(input.shape()));
        }
    }
}
