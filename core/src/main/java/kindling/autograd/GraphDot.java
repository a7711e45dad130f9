package kindling.autograd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * The graph behind a tensor in Graphviz's DOT language, to look at what backward will walk.
 * <pre>
 *   Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad_();
 *   Tensor x = Tensor.of(new float[] {3, 4});
 *   Tensor loss = w.mul(x).add(w).sum();
 *   System.out.println(GraphDot.toDot(loss, Map.of(w, "w", x, "x")));
 *   // paste into https://dreampuf.github.io/GraphvizOnline or run: dot -Tpng graph.dot -o graph.png
 * </pre>
 * What is drawn:
 * <ul>
 *   <li>one ellipse per {@link Function}, labelled with its op name and the shape of its output;</li>
 *   <li>one box per input tensor that no op produced: solid for a leaf that requires grad (its
 *       {@code grad} is filled by backward), dashed and grey for a constant;</li>
 *   <li>edges in the direction of the forward computation, input → op; a tensor used twice has two
 *       edges.</li>
 * </ul>
 * Node ids ({@code n0}, {@code n1}, ...) follow the forward order, leaves numbered when first
 * used, so the same program always prints the same text.
 *
 * <p>A {@code Function} does not keep its output (that would keep every activation alive), so the
 * output shape is read from the tensor that carries it: the root, or the input of a later op whose
 * {@code gradFn} it is. The walk is iterative, like {@link Backward}'s: a graph of 100,000 ops prints.
 */
public final class GraphDot {
    private GraphDot() {
    }

    /** DOT text for the graph behind {@code root}, leaves labelled with their shape only. */
    public static String toDot(Tensor root) {
        return toDot(root, Map.of());
    }

    /**
     * DOT text for the graph behind {@code root}, with {@code names} labelling tensors:
     * {@code w (3, 2)} for a leaf, {@code h = AddOp (3, 2)} for an op's output. Tensors are matched
     * by identity, not by {@code equals}, so two tensors with equal values keep their own names.
     */
    public static String toDot(Tensor root, Map<Tensor, String> names) {
        Map<Tensor, String> byIdentity = new IdentityHashMap<>();
        for (Map.Entry<Tensor, String> entry : names.entrySet()) {
            byIdentity.put(entry.getKey(), entry.getValue());
        }
        StringBuilder dot = new StringBuilder("digraph kindling {\n");
        dot.append("  rankdir=LR;\n");
        dot.append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        Function rootFn = root.gradFn();
        if (rootFn == null) {
            appendLeaf(dot, "n0", root, byIdentity);
            return dot.append("}\n").toString();
        }

        // Backward's order lists each op before its producers; reversed, it is the forward order.
        List<Function> forward = Backward.reverseTopologicalOrder(rootFn);
        Collections.reverse(forward);

        // The tensor each op produced, found among the inputs of its consumers (and the root).
        Map<Function, Tensor> outputs = new IdentityHashMap<>();
        outputs.put(rootFn, root);
        for (Function fn : forward) {
            for (int i = 0; i < fn.inputs().size(); i++) {
                if (fn.producer(i) != null) {
                    outputs.putIfAbsent(fn.producer(i), fn.inputs().get(i));
                }
            }
        }

        Map<Object, String> ids = new IdentityHashMap<>();   // Function or leaf Tensor → node id
        List<String> sources = new ArrayList<>();
        for (Function fn : forward) {
            sources.clear();
            for (int i = 0; i < fn.inputs().size(); i++) {
                Tensor input = fn.inputs().get(i);
                if (input == null) {
                    continue;
                }
                Object source = fn.producer(i) != null ? fn.producer(i) : input;
                String sourceId = ids.get(source);
                if (sourceId == null) {                       // a leaf or constant seen for the first time
                    sourceId = "n" + ids.size();
                    ids.put(input, sourceId);
                    appendLeaf(dot, sourceId, input, byIdentity);
                }
                sources.add(sourceId);
            }
            String id = "n" + ids.size();
            ids.put(fn, id);
            Tensor output = outputs.get(fn);
            String name = byIdentity.get(output);
            String label = (name == null ? "" : name + " = ") + fn.name() + " " + Shape.format(output.shape());
            dot.append("  ").append(id).append(" [shape=ellipse, label=\"").append(escape(label)).append("\"];\n");
            for (String sourceId : sources) {
                dot.append("  ").append(sourceId).append(" -> ").append(id).append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    private static void appendLeaf(StringBuilder dot, String id, Tensor leaf, Map<Tensor, String> names) {
        String name = names.get(leaf);
        String label = (name == null ? "" : name + " ") + Shape.format(leaf.shape());
        dot.append("  ").append(id).append(" [shape=box, ");
        if (!leaf.requiresGrad()) {
            dot.append("style=dashed, color=gray40, fontcolor=gray40, ");
        }
        dot.append("label=\"").append(escape(label)).append("\"];\n");
    }

    /** Quotes and backslashes escaped for a DOT string. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
