package kindling.examples;

import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.autograd.GraphDot;
import kindling.autograd.NoGrad;
import kindling.tensor.Generator;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * A printed tour of tensors and autograd, to read top to bottom beside its output. Run it from the
 * IDE (it is a plain {@code main}) or with {@code mvn -q compile exec:java}.
 * Each section prints a heading, then the lines of code it runs and what they print.
 */
public final class TensorTour {
    private TensorTour() {
    }

    public static void main(String[] args) {
        Options.declare("tour", "A printed tour of tensors, views, broadcasting and autograd; it takes no options.")
                .parse(args);
        // 1. Creating and printing tensors. Printing follows PyTorch, so output reads like the book.
        section("1. Creating and printing");
        Tensor m = Tensor.of(new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}});
        show("Tensor.of(new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}})", m);
        show("Tensor.arange(6)", Tensor.arange(6));
        show("Tensor.zeros(2, 3)", Tensor.zeros(2, 3));
        show("Tensor.randn(new Generator(0), 3)   (seeded: the same numbers every run)",
                Tensor.randn(new Generator(0), 3));

        // 2. Shape, strides and views. A view is the same storage read with other strides.
        section("2. Shapes, strides and views");
        Tensor x = Tensor.arange(6).view(2, 3);
        show("x = Tensor.arange(6).view(2, 3)", x);
        System.out.println("x.shape() = " + Shape.format(x.shape()) + ", x.stride() = " + Shape.format(x.stride()));
        Tensor xt = x.t();
        show("x.t()", xt);
        System.out.println("x.t().stride() = " + Shape.format(xt.stride())
                + "  (the strides swapped: no number moved)");
        System.out.println("x.t() shares x's storage: " + (xt.storage() == x.storage()));
        xt.select(0, 0).fill_(100f);          // writes column 0 of x through the transposed view
        show("after x.t().select(0, 0).fill_(100f), x is", x);

        // 3. Broadcasting: shapes aligned on the right; a size-1 dim is read again and again.
        section("3. Broadcasting");
        Tensor column = Tensor.of(new float[] {10, 20}).view(2, 1);
        Tensor row = Tensor.of(new float[] {1, 2, 3});
        show("column (2, 1) + row (3,) gives (2, 3)", column.add(row));
        show("row.expand(2, 3), a view with strides " + Shape.format(row.expand(2, 3).stride()), row.expand(2, 3));

        // 4. A gradient by backward, checked against the derivative by hand.
        //    loss = Σ_i (w_i · x_i + b)   so   ∂loss/∂w_i = x_i   and   ∂loss/∂b = number of elements.
        section("4. A gradient by backward");
        Tensor w = Tensor.of(new float[] {1, 2, 3}).requiresGrad_();
        Tensor in = Tensor.of(new float[] {4, 5, 6});
        Tensor b = Tensor.scalar(0.5f).requiresGrad_();
        Tensor loss = w.mul(in).add(b).sum();
        show("loss = w.mul(in).add(b).sum()", loss);
        loss.backward();
        show("w.grad()  (by hand: in = [4, 5, 6])", w.grad());
        show("b.grad()  (by hand: 3, one per element b was added to)", b.grad());
        Tensor v = Tensor.of(new float[] {-1, 0.5f, 3}).requiresGrad_();
        v.mul(v).add(v).sum().backward();
        show("for loss = Σ (v·v + v), v.grad() (by hand: 2v + 1 = [-1, 2, 7]; v is used three times)", v.grad());

        // 5. A layer by hand: scores = relu(X·W + b), then softmax turns each row into probabilities,
        //    and the loss is −log of the probability of the right class (cross-entropy).
        section("5. A layer by hand: matmul, relu, softmax");
        Generator gen = new Generator(3);
        Tensor batch = Tensor.randn(gen, 4, 3);                         // (N=4, in=3)
        Tensor weight = Tensor.randn(gen, 3, 2).requiresGrad_();        // (in=3, out=2)
        Tensor bias = Tensor.zeros(2).requiresGrad_();                  // (out=2,) broadcast over N
        Tensor scores = batch.matmul(weight).add(bias).relu();          // (4, 3)·(3, 2) → (4, 2)
        show("scores = batch.matmul(weight).add(bias).relu()", scores);
        show("scores.softmax(1)  (each row sums to 1)", scores.softmax(1));
        Tensor labels = Tensor.of(new float[] {0, 1, 1, 0}).view(4, 1); // the right class of each row
        Tensor crossEntropy = scores.logSoftmax(1).gather(1, labels).mean().neg();
        show("crossEntropy = −mean(log softmax(scores)[i, label_i])", crossEntropy);
        crossEntropy.backward();
        show("weight.grad(), shape " + Shape.format(weight.grad().shape()) + " like weight", weight.grad());

        // 6. GradCheck compares backward with finite differences, element by element.
        section("6. GradCheck");
        Tensor p = Tensor.randn(new Generator(1), 2, 3).requiresGrad_();
        Tensor q = Tensor.randn(new Generator(2), 3).requiresGrad_();
        GradCheck.Result result = GradCheck.check(t -> t[0].mul(t[1]).add(t[0]), p, q);
        System.out.println("GradCheck.check(t -> t[0].mul(t[1]).add(t[0]), p, q):");
        System.out.println("  " + result);

        // 7. The graph behind a tensor, in Graphviz's DOT language (paste into any Graphviz viewer).
        section("7. The graph");
        Tensor w2 = Tensor.of(new float[] {1, 2, 3}).requiresGrad_();
        Tensor loss2 = w2.mul(in).add(b).sum();
        System.out.print(GraphDot.toDot(loss2, Map.of(w2, "w", in, "in", b, "b", loss2, "loss")));

        // 8. NoGrad: an update that is not part of the model, as an optimizer step does it.
        section("8. NoGrad: one gradient-descent step");
        try (NoGrad scope = NoGrad.enter()) {
            w.add_(w.grad(), -0.1f);          // w ← w − 0.1 · ∂loss/∂w
            show("inside NoGrad, w.add_(w.grad(), -0.1f); w is now", w);
            show("and w.mul(in) records nothing", w.mul(in));
        }
        show("outside again, w.mul(in) records its op", w.mul(in));
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title + " ==");
    }

    private static void show(String label, Tensor value) {
        System.out.println(label + ":");
        System.out.println(value);
    }
}
