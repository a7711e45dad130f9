package kindling.examples.models;

import kindling.nn.BatchNorm2d;
import kindling.nn.Conv2d;
import kindling.nn.Flatten;
import kindling.nn.Linear;
import kindling.nn.MaxPool2d;
import kindling.nn.Module;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * A small CNN that maps a Fashion-MNIST image to a point on the unit sphere in D dimensions, the
 * embedding that the triplet loss trains (FaceNet, Schroff et al. 2015, with a network sized for 28×28).
 * <pre>
 *   input (N, 1, 28, 28)
 *   Conv2d(1, 16, k=3, pad=1)  → (N, 16, 28, 28)  BatchNorm2d  ReLU  MaxPool2d(2) → (N, 16, 14, 14)
 *   Conv2d(16, 32, k=3, pad=1) → (N, 32, 14, 14)  BatchNorm2d  ReLU  MaxPool2d(2) → (N, 32, 7, 7)
 *   Flatten                    → (N, 1568)
 *   Linear(1568, 128)  ReLU    → (N, 128)
 *   Linear(128, D)             → (N, D)
 *   L2Normalize                → (N, D)        f(x) = z / ‖z‖₂, so ‖f(x)‖₂ = 1
 * </pre>
 * With D = 32: 209,856 parameters and 1.22 M multiply-accumulates per image.
 * <p>Why normalise: on the unit sphere every distance lies in [0, 2], so one margin (0.2 in FaceNet)
 * means the same thing throughout training, and the network cannot lower the loss by merely
 * scaling all embeddings up. The last layer has no ReLU: an embedding needs negative coordinates too.
 */
public final class EmbeddingNet {
    /** The embedding size used when none is given. */
    public static final int DEFAULT_DIM = 32;

    private EmbeddingNet() {
    }

    /** The network with {@link #DEFAULT_DIM}-dimensional embeddings. */
    public static Sequential create() {
        return create(DEFAULT_DIM);
    }

    /** The network with {@code dim}-dimensional embeddings. */
    public static Sequential create(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("EmbeddingNet: dim must be at least 1, got " + dim);
        }
        return new Sequential(
                new Conv2d(1, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(),
                new MaxPool2d(2),
                new Conv2d(16, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(),
                new MaxPool2d(2),
                new Flatten(),
                new Linear(32 * 7 * 7, 128), new ReLU(),
                new Linear(128, dim),
                new L2Normalize());
    }

    /**
     * Each row divided by its Euclidean length, as PyTorch's {@code F.normalize(x, p=2, dim=1, eps=1e-12)}:
     * <pre>
     *   y_i = x_i / max(‖x_i‖₂, eps)        ‖x_i‖₂ = √(Σ_j x_ij²)
     * </pre>
     * Written with differentiable tensor ops (mul, sum, sqrt, clampMin, div), so autograd derives
     * its backward: ∂y/∂x = (I − y yᵀ) / ‖x‖, the projection onto the sphere's tangent plane.
     * The eps only guards a zero row. Shape: (N, D) → (N, D).
     */
    public static Tensor normalize(Tensor x, float eps) {
        Tensor norm = x.mul(x).sum(1, true).sqrt().clampMin(eps);   // (N, 1)
        return x.div(norm);                                           // broadcast over D
    }

    /**
     * The network's last layer: {@link #normalize(Tensor, float)} with eps 1e−12, PyTorch's default.
     * Shape: (N, D) → (N, D). No parameters. (PyTorch has no such module; one writes
     * {@code F.normalize(x)} in {@code forward}.)
     */
    public static final class L2Normalize extends Module {
        @Override
        public Tensor forward(Tensor input) {
            if (input.dim() != 2) {
                throw new ShapeException(describe() + ": expected input (N, D) but got " + Shape.format(input.shape()));
            }
            return normalize(input, 1e-12f);
        }
    }
}
