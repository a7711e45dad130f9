package kindling.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * Modules applied one after another, as PyTorch's {@code nn.Sequential}: the output of each is the
 * input of the next.
 * <pre>
 *   forward(x) = m_{n−1}( ... m_1(m_0(x)) ... )
 * </pre>
 * Children passed to the varargs constructor are named {@code "0"}, {@code "1"}, ..., so their
 * parameters are {@code 0.weight}, {@code 2.bias}, ... as in PyTorch. An empty Sequential returns
 * its input.
 */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    /** The modules in order, named by their index. */
    public Sequential(Module... modules) {
        for (Module module : modules) {
            add(module);
        }
    }

    /** The modules in the map's order under the map's names (PyTorch's {@code Sequential(OrderedDict)}). */
    public Sequential(Map<String, ? extends Module> namedModules) {
        for (Map.Entry<String, ? extends Module> entry : namedModules.entrySet()) {
            add(entry.getKey(), entry.getValue());
        }
    }

    /** Appends {@code module} under its index as name, as PyTorch's {@code append}; returns this. */
    public Sequential add(Module module) {
        return add(Integer.toString(layers.size()), module);
    }

    /** Appends {@code module} under {@code name}; returns this. */
    public Sequential add(String name, Module module) {
        layers.add(registerModule(name, module));
        return this;
    }

    /** The module at position {@code index}; negative counts from the end. */
    public Module get(int index) {
        int i = index < 0 ? index + layers.size() : index;
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException(describe() + ": index " + index + " is out of range for "
                    + layers.size() + " modules");
        }
        return layers.get(i);
    }

    /** Puts {@code replacement} where child {@code name} was, for {@link #replaceModule}. */
    @Override
    protected void replaceChild(String name, Module replacement) {
        int position = new ArrayList<>(namedChildren().keySet()).indexOf(name);
        layers.set(position, replacement);
    }

    /** How many modules are chained. */
    public int size() {
        return layers.size();
    }

    /**
     * Whether {@code module} is a Sequential that runs its children one after another with this
     * class's own {@link #forward}: a subclass that overrides forward (a residual connection, a
     * reshape between children) is not, and tools that walk the chain (the summary, the feature
     * extractor) must treat it as one module.
     */
    static boolean chainsItsChildren(Module module) {
        if (!(module instanceof Sequential)) {
            return false;
        }
        try {
            return module.getClass().getMethod("forward", Tensor.class).getDeclaringClass() == Sequential.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }
}
