package kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.Map;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GraphDotTest {

    @Test
    void smallGraphPrintsLeavesOpsShapesAndForwardEdges() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad_();
        Tensor x = Tensor.of(new float[] {3, 4});
        Tensor b = Tensor.scalar(0.5f).requiresGrad_();
        Tensor loss = w.mul(x).add(b).sum();
        String expected = """
                digraph kindling {
                  rankdir=LR;
                  node [fontname="Helvetica", fontsize=11];
                  n0 [shape=box, label="w (2,)"];
                  n1 [shape=box, style=dashed, color=gray40, fontcolor=gray40, label="x (2,)"];
                  n2 [shape=ellipse, label="MulOp (2,)"];
                  n0 -> n2;
                  n1 -> n2;
                  n3 [shape=box, label="b ()"];
                  n4 [shape=ellipse, label="AddOp (2,)"];
                  n2 -> n4;
                  n3 -> n4;
                  n5 [shape=ellipse, label="loss = SumOp ()"];
                  n4 -> n5;
                }
                """;
        assertEquals(expected, GraphDot.toDot(loss, Map.of(w, "w", x, "x", b, "b", loss, "loss")));
    }

    @Test
    void tensorUsedTwiceIsOneNodeWithTwoEdgesAndUnnamedLeavesShowTheirShape() {
        Tensor a = Tensor.ones(2, 3).requiresGrad_();
        Tensor y = a.mul(a).add(a);
        String expected = """
                digraph kindling {
                  rankdir=LR;
                  node [fontname="Helvetica", fontsize=11];
                  n0 [shape=box, label="(2, 3)"];
                  n1 [shape=ellipse, label="MulOp (2, 3)"];
                  n0 -> n1;
                  n0 -> n1;
                  n2 [shape=ellipse, label="AddOp (2, 3)"];
                  n1 -> n2;
                  n0 -> n2;
                }
                """;
        assertEquals(expected, GraphDot.toDot(y));
    }

    @Test
    void namesAreMatchedByIdentityAndEscaped() {
        Tensor first = Tensor.zeros(2).requiresGrad_();
        Tensor second = Tensor.zeros(2).requiresGrad_();         // equal values, another tensor
        Map<Tensor, String> names = new IdentityHashMap<>();
        names.put(first, "say \"hi\"");
        String dot = GraphDot.toDot(first.add(second), names);
        assertTrue(dot.contains("n0 [shape=box, label=\"say \\\"hi\\\" (2,)\"];"), dot);
        assertTrue(dot.contains("n1 [shape=box, label=\"(2,)\"];"), dot);
    }

    @Test
    void leafRootIsASingleBox() {
        Tensor leaf = Tensor.zeros(3, 1).requiresGrad_();
        assertEquals("digraph kindling {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n"
                + "  n0 [shape=box, label=\"(3, 1)\"];\n}\n", GraphDot.toDot(leaf));
    }

    @Test
    void aChainOfOneHundredThousandOpsDoesNotOverflowTheStack() {
        int ops = 100_000;
        Tensor x = Tensor.scalar(1f).requiresGrad_();
        Tensor one = Tensor.scalar(1f);
        Tensor y = x;
        for (int i = 0; i < ops; i++) {
            y = y.add(one);
        }
        String dot = GraphDot.toDot(y);
        assertTrue(dot.contains("n2 [shape=ellipse, label=\"AddOp ()\"];"), dot.substring(0, 300));
        // x, the constant, and one node per op; one edge from the previous value and one from the constant.
        assertEquals(ops + 2, dot.split("\\[shape=").length - 1);
        assertEquals(2 * ops, dot.split(" -> ").length - 1);
        assertTrue(dot.endsWith("  n1 -> n" + (ops + 1) + ";\n}\n"), dot.substring(dot.length() - 200));
    }
}
