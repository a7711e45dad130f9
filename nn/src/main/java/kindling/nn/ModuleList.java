package kindling.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import kindling.tensor.Tensor;

/**
 * A list of modules whose parameters belong to the parent, as PyTorch's {@code nn.ModuleList}: for
 * models that call their layers in their own way (a loop with skips, several heads). Children are
 * named {@code "0"}, {@code "1"}, ...; it has no {@link #forward} of its own.
 */
public class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> modules = new ArrayList<>();

    /** A list holding {@code modules} in order. */
    public ModuleList(Module... modules) {
        for (Module module : modules) {
            add(module);
        }
    }

    /** Appends {@code module} under its index as name; returns this. */
    public ModuleList add(Module module) {
        modules.add(registerModule(Integer.toString(modules.size()), module));
        return this;
    }

    /** The module at {@code index}; negative counts from the end. */
    public Module get(int index) {
        int i = index < 0 ? index + modules.size() : index;
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException(describe() + ": index " + index + " is out of range for "
                    + modules.size() + " modules");
        }
        return modules.get(i);
    }

    /** Puts {@code replacement} where child {@code name} was, for {@link #replaceModule}. */
    @Override
    protected void replaceChild(String name, Module replacement) {
        int position = new ArrayList<>(namedChildren().keySet()).indexOf(name);
        modules.set(position, replacement);
    }

    /** How many modules it holds. */
    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return Collections.unmodifiableList(modules).iterator();
    }

    /** Always throws: a ModuleList only holds modules; the model that owns it decides how to call them. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(describe() + " has no forward: it only holds modules; "
                + "call them from the forward of the module that owns it, or use Sequential to chain them");
    }
}
