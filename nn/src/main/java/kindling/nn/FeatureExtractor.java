package kindling.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kindling.tensor.Tensor;

/**
 * The outputs of chosen layers of a model in one forward pass, by module path, as torchvision's
 * {@code create_feature_extractor(model, return_nodes=[...])}: for style transfer (a CNN's feature
 * maps at several depths) and for looking at activations.
 * <pre>
 *   Sequential vgg = new Sequential();                  // a small VGG: {features: conv, relu, pool, conv, relu}
 *   vgg.add("features", new Sequential(new Conv2d(3, 16, 3, 1, 1), new ReLU(), new MaxPool2d(2, 2),
 *           new Conv2d(16, 32, 3, 1, 1), new ReLU()));
 *   FeatureExtractor extractor = new FeatureExtractor(vgg, List.of("features.1", "features.4"));
 *   Map&lt;String, Tensor&gt; maps = extractor.forward(Tensor.rand(1, 3, 32, 32));   // path → that layer's output:
 *   // features.1 (1, 16, 32, 32), features.4 (1, 32, 16, 16)
 * </pre>
 * It runs the model as the model's own forward would, through the chain of {@link Sequential}
 * containers down to each requested layer, and records the output of each requested module. It
 * stops after the last one: the layers after it are not computed (the style-transfer loss needs
 * nothing past its deepest layer). The outputs are ordinary tensors of the autograd graph, so a loss
 * on them back-propagates into the model's parameters and into the input.
 *
 * <p><b>Which paths.</b> A path names a module reached from the model through plain Sequentials
 * only: {@code "features.3"} in a VGG, {@code "2"} or {@code "2.1"} (a residual block in a stage) in
 * a ResNet built as nested Sequentials. A module inside a block with its own forward
 * ({@code "2.1.conv1"} inside a BasicBlock) cannot be reached without running that forward in pieces,
 * which could differ from what the block computes; the constructor rejects such a path and names
 * the block whose output you can ask for instead. (torchvision traces the forward's code to reach any
 * node; that needs a symbolic tracer, which Kindling does not have.)
 */
public final class FeatureExtractor {
    private final Module model;
    private final List<String> paths;
    private final Set<String> wanted;

    /** An extractor of the outputs at {@code paths} (dotted module paths, as {@link Module#namedModules()} names them). */
    public FeatureExtractor(Module model, List<String> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("FeatureExtractor: no paths given for " + model.describe());
        }
        this.model = model;
        this.paths = List.copyOf(paths);
        this.wanted = new LinkedHashSet<>(paths);
        for (String path : paths) {
            checkReachable(path);
        }
    }

    /** Each path must name a module whose ancestors below the model are all plain Sequentials. */
    private void checkReachable(String path) {
        Module module = model;
        String walked = "";
        for (String name : path.split("\\.", -1)) {
            if (!Sequential.chainsItsChildren(module)) {
                throw new IllegalArgumentException("FeatureExtractor: cannot reach '" + path + "': "
                        + module.describe() + (walked.isEmpty() ? " (the model)" : "")
                        + " runs its children in its own forward; ask for "
                        + (walked.isEmpty() ? "the model's output" : "'" + walked + "'") + " instead");
            }
            Module next = module.namedChildren().get(name);
            if (next == null) {
                throw new IllegalArgumentException("FeatureExtractor: no module at '" + path + "': "
                        + (walked.isEmpty() ? "the model" : "'" + walked + "'") + " has no child '" + name
                        + "'; its children are " + module.namedChildren().keySet());
            }
            walked = walked.isEmpty() ? name : walked + "." + name;
            module = next;
        }
    }

    /** The paths asked for, in the order given. */
    public List<String> paths() {
        return paths;
    }

    /** Runs the model on {@code input} as far as the deepest requested layer; returns path → output, in the order asked. */
    public Map<String, Tensor> forward(Tensor input) {
        Map<String, Tensor> found = new LinkedHashMap<>();
        run(model, "", input, found);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String path : paths) {
            out.put(path, found.get(path));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Runs a plain Sequential child by child, recording wanted outputs; returns null once all are found. */
    private Tensor run(Module sequential, String path, Tensor input, Map<String, Tensor> found) {
        Tensor x = input;
        for (Map.Entry<String, Module> child : sequential.namedChildren().entrySet()) {
            String childPath = path.isEmpty() ? child.getKey() : path + "." + child.getKey();
            Module module = child.getValue();
            if (Sequential.chainsItsChildren(module) && wantsBelow(childPath)) {
                x = run(module, childPath, x, found);
            } else {
                x = module.forward(x);
            }
            if (wanted.contains(childPath)) {
                found.put(childPath, x);
            }
            if (found.size() == wanted.size()) {
                return x;
            }
        }
        return x;
    }

    private boolean wantsBelow(String path) {
        String prefix = path + ".";
        List<String> below = new ArrayList<>();
        for (String p : wanted) {
            if (p.startsWith(prefix)) {
                below.add(p);
            }
        }
        return !below.isEmpty();
    }
}
