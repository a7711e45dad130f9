package kindling.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import kindling.io.SafeTensors;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * A layer or a model: a function {@link #forward} with named state, as PyTorch's {@code nn.Module}.
 *
 * <p>A module owns three kinds of named things, each registered in its constructor and kept in
 * insertion order:
 * <ul>
 *   <li><b>parameters</b> — tensors the optimizer trains ({@link #registerParameter}); they require grad;
 *   <li><b>buffers</b> — state that is saved but not trained, such as BatchNorm's running mean
 *       ({@link #registerBuffer});
 *   <li><b>child modules</b> ({@link #registerModule}), whose parameters and buffers are the parent's too.
 * </ul>
 * A module that draws random numbers from a {@link Generator} of its own (a {@link Dropout} given one)
 * also registers it ({@link #registerGenerator}), so that a training checkpoint can save its state.
 * A constructor reads top to bottom:
 * <pre>
 *   class SmallNet extends Module {
 *       private final Sequential features;
 *       private final Tensor weight;
 *
 *       SmallNet() {
 *           features = registerModule("features", new Sequential(new Conv2d(1, 6, 5), new ReLU()));
 *           weight = registerParameter("weight", Tensor.randn(10, 6 * 24 * 24).mul(0.01f));
 *       }
 *
 *       &#64;Override
 *       public Tensor forward(Tensor input) {                             // (N, 1, 28, 28)
 *           return features.forward(input).flatten(1, -1).matmul(weight.t());  // (N, 10)
 *       }
 *   }
 * </pre>
 * (After {@code import kindling.nn.*} a class that names {@code Module} also needs
 * {@code import kindling.nn.Module;}: {@code java.lang.Module} has the same simple name.)
 * Names join with dots into paths exactly as PyTorch names them: {@code features.0.weight}. Those
 * paths are the keys of {@link #stateDict()}, so a checkpoint saved by PyTorch loads here and back.
 *
 * <p>Once registered, a module knows where it sits in its model ({@link #path()}), so a layer can say
 * in its error messages which of several identical layers failed:
 * {@code Linear(in_features=784, out_features=128, bias=True) at classifier.1: expected input (*, 784) but got (64, 800)}.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Generator> generators = new LinkedHashMap<>();
    private boolean training = true;
    private Module parent;
    private String nameInParent = "";

    /** Computes the module's output from {@code input}. */
    public abstract Tensor forward(Tensor input);

    // ------------------------------------------------------------------------------------------
    // Registration
    // ------------------------------------------------------------------------------------------

    /**
     * Registers {@code tensor} as a trainable parameter under {@code name}, marks it
     * {@code requiresGrad_()} and returns it. A null tensor registers the name with no value
     * (as PyTorch's {@code register_parameter("bias", None)} for a layer built with {@code bias=false}):
     * it is skipped by {@link #parameters()} and {@link #stateDict()}.
     */
    protected Tensor registerParameter(String name, Tensor tensor) {
        checkNewName("registerParameter", name);
        if (tensor != null && !tensor.isLeaf()) {
            throw new IllegalArgumentException(describe() + ": registerParameter: '" + name
                    + "' was computed by " + tensor.gradFn().name() + "; a parameter must be a leaf tensor "
                    + "(create it directly, or register tensor.detach())");
        }
        parameters.put(name, tensor == null ? null : tensor.requiresGrad_());
        return tensor;
    }

    /** Registers a persistent buffer: saved in {@link #stateDict()}, never trained. Returns it. */
    protected Tensor registerBuffer(String name, Tensor tensor) {
        return registerBuffer(name, tensor, true);
    }

    /**
     * Registers a buffer; a non-persistent one ({@code persistent=false}) is state the module can
     * recompute, left out of {@link #stateDict()}, as PyTorch's {@code register_buffer(..., persistent=False)}.
     */
    protected Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        checkNewName("registerBuffer", name);
        buffers.put(name, tensor);
        if (!persistent) {
            nonPersistentBuffers.add(name);
        }
        return tensor;
    }

    /**
     * Registers a generator this module draws from under {@code name} and returns it; null (the
     * module draws from {@link Generator#global()}) registers nothing. A generator is not a tensor,
     * so it is not in {@link #stateDict()} (PyTorch's modules have no generators of their own); it is
     * listed by {@link #namedGenerators()}, which is how a {@code Trainer} checkpoint saves its state
     * ({@link Generator#getState()}) and a resumed run puts it back, so that the resumed run draws what
     * the uninterrupted one drew.
     */
    protected Generator registerGenerator(String name, Generator generator) {
        checkNewName("registerGenerator", name);
        if (generator != null) {
            generators.put(name, generator);
        }
        return generator;
    }

    /**
     * Registers {@code module} as a child under {@code name} and returns it. From now on the child's
     * {@link #path()} starts with this module's path. A module may be registered in several places
     * (a shared activation, tied weights); its path is the one of its first registration.
     */
    protected <M extends Module> M registerModule(String name, M module) {
        checkNewName("registerModule", name);
        if (module == null) {
            throw new IllegalArgumentException(describe() + ": registerModule: module '" + name + "' is null");
        }
        for (Module ancestor = this; ancestor != null; ancestor = ancestor.parent) {
            if (ancestor == module) {
                throw new IllegalArgumentException(describe() + ": registerModule: '" + name
                        + "' is this module or one of its parents; registering it would make a cycle");
            }
        }
        children.put(name, module);
        Module child = module;                               // a type variable cannot reach private fields
        if (child.parent == null) {
            child.parent = this;
            child.nameInParent = name;
        }
        return module;
    }

    /**
     * Replaces the module at the dotted {@code path} (a child, or a child's child ...) by
     * {@code replacement} and returns the module it replaced: a new head on a pretrained network, as a
     * PyTorch user writes {@code model.fc = nn.Linear(512, 5)} or {@code model[7] = ...}.
     * <pre>
     *   Module oldHead = net.replaceModule("7", new Linear(128, 5));
     *   net.replaceModule("classifier.6", new Linear(256, 5));
     * </pre>
     * The state-dict keys stay the same (the replacement's parameters take the old names), so a
     * checkpoint of the new model loads back into it. Only modules that can change what their forward
     * calls support it: {@link Sequential} and {@link ModuleList} do; a module that keeps its children
     * in fields overrides {@link #replaceChild} to set the field (otherwise it throws).
     */
    public Module replaceModule(String path, Module replacement) {
        int dot = path.lastIndexOf('.');
        Module parent = dot < 0 ? this : submodule(path.substring(0, dot));
        String name = dot < 0 ? path : path.substring(dot + 1);
        if (!parent.children.containsKey(name)) {
            throw new IllegalArgumentException(parent.describe() + ": replaceModule: no child '" + name + "'; its "
                    + "children are " + parent.children.keySet());
        }
        if (replacement == null) {
            throw new IllegalArgumentException(parent.describe() + ": replaceModule: the replacement for '" + name
                    + "' is null");
        }
        Module old = parent.children.get(name);
        parent.replaceChild(name, replacement);
        parent.children.put(name, replacement);
        Module child = replacement;
        if (child.parent == null) {
            child.parent = parent;
            child.nameInParent = name;
        }
        if (old.parent == parent && name.equals(old.nameInParent)) {
            old.parent = null;
            old.nameInParent = "";
        }
        return old;
    }

    /**
     * Called by {@link #replaceModule} before child {@code name} is replaced in the registry: update
     * whatever your {@link #forward} calls (a field, a list). By default it throws, because a module
     * that calls a field would go on calling the old child. Example for a model with a field {@code fc}:
     * <pre>
     *   protected void replaceChild(String name, Module replacement) {
     *       if (name.equals("fc")) { fc = replacement; } else { super.replaceChild(name, replacement); }
     *   }
     * </pre>
     */
    protected void replaceChild(String name, Module replacement) {
        throw new UnsupportedOperationException(describe() + ": replaceModule('" + name + "'): " + name()
                + " calls its children through its own fields; override replaceChild to update them, or build the "
                + "model as a Sequential");
    }

    /** The descendant at the dotted {@code path} ({@code ""}: this module), as PyTorch's {@code get_submodule}. */
    public Module submodule(String path) {
        Module module = this;
        if (path.isEmpty()) {
            return module;
        }
        String walked = "";
        for (String name : path.split("\\.", -1)) {
            Module next = module.children.get(name);
            if (next == null) {
                throw new IllegalArgumentException(describe() + ": no module at '" + path + "': "
                        + (walked.isEmpty() ? "this module" : "'" + walked + "'") + " has no child '" + name
                        + "'; its children are " + module.children.keySet());
            }
            walked = join(walked, name);
            module = next;
        }
        return module;
    }

    /** Names are non-empty, contain no '.', and are unique among a module's parameters, buffers, children and generators. */
    private void checkNewName(String method, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(describe() + ": " + method + ": name must be non-empty");
        }
        if (name.indexOf('.') >= 0) {
            throw new IllegalArgumentException(describe() + ": " + method + ": name '" + name
                    + "' must not contain '.', which separates the names in a path");
        }
        String usedBy = parameters.containsKey(name) ? "a parameter"
                : buffers.containsKey(name) ? "a buffer"
                : children.containsKey(name) ? "a child module"
                : generators.containsKey(name) ? "a generator" : null;
        if (usedBy != null) {
            throw new IllegalArgumentException(describe() + ": " + method + ": name '" + name
                    + "' is already used by " + usedBy);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Where this module is, and how it prints
    // ------------------------------------------------------------------------------------------

    /**
     * The dotted path of this module inside the model it was registered in: {@code "features.0"};
     * {@code ""} for the root (or a module not registered anywhere yet).
     */
    public String path() {
        if (parent == null) {
            return "";
        }
        String parentPath = parent.path();
        return parentPath.isEmpty() ? nameInParent : parentPath + "." + nameInParent;
    }

    /** The name printed by {@link #toString()}: the class's simple name, as PyTorch's {@code _get_name()}. */
    public String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getSuperclass().getSimpleName() : simple;
    }

    /**
     * The constructor arguments worth printing, e.g. {@code in_features=784, out_features=128, bias=True};
     * empty by default. Layers override it, as PyTorch's {@code extra_repr()}.
     */
    public String extraRepr() {
        return "";
    }

    /**
     * The start of every error message about this module, so that each names the layer the same way:
     * {@code Linear(in_features=784, out_features=128, bias=True) at classifier.1}, or without
     * " at ..." for a root. The part in parentheses is {@link #describeArguments()}.
     */
    public String describe() {
        String head = name() + "(" + describeArguments() + ")";
        String path = path();
        return path.isEmpty() ? head : head + " at " + path;
    }

    /**
     * The arguments {@link #describe()} shows: the first line of {@link #extraRepr()}. A module whose
     * printout lists children instead (a block, an attention layer) overrides this with the sizes a
     * reader of an error needs, e.g. {@code embed_dim=8, num_heads=2}.
     */
    protected String describeArguments() {
        String extra = extraRepr();
        int newline = extra.indexOf('\n');
        return newline >= 0 ? extra.substring(0, newline) : extra;
    }

    /**
     * The module tree in PyTorch's {@code print(model)} layout: children as {@code (name): ...}, each
     * level indented by two spaces, {@link #extraRepr()} inside the parentheses:
     * <pre>
     * Sequential(
     *   (0): Linear(in_features=4, out_features=3, bias=True)
     *   (1): ReLU()
     * )
     * </pre>
     */
    @Override
    public String toString() {
        String extra = extraRepr();
        List<String> lines = new ArrayList<>();
        if (!extra.isEmpty()) {
            Collections.addAll(lines, extra.split("\n", -1));
        }
        int extraLines = lines.size();
        for (Map.Entry<String, Module> child : children.entrySet()) {
            // A child's own lines after the first move in by two spaces (PyTorch's _addindent).
            String childText = child.getValue().toString().replace("\n", "\n  ");
            lines.add("(" + child.getKey() + "): " + childText);
        }
        StringBuilder text = new StringBuilder(name()).append('(');
        if (extraLines == 1 && children.isEmpty()) {
            text.append(lines.get(0));
        } else if (!lines.isEmpty()) {
            text.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return text.append(')').toString();
    }

    // ------------------------------------------------------------------------------------------
    // Walking the tree
    // ------------------------------------------------------------------------------------------

    /** The direct children by name, in registration order (read-only). */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * This module (under {@code ""}) and every descendant by dotted path, parents before children,
     * as PyTorch's {@code named_modules()}. A module registered twice appears once, at its first path.
     */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectModules(String path, Module module, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(module)) {
            return;
        }
        out.put(path, module);
        for (Map.Entry<String, Module> child : module.children.entrySet()) {
            collectModules(join(path, child.getKey()), child.getValue(), out, seen);
        }
    }

    /**
     * Every parameter by dotted path ({@code features.0.weight}), each module's own parameters before
     * its children's, as PyTorch's {@code named_parameters()}. A shared tensor appears once.
     */
    public Map<String, Tensor> namedParameters() {
        return namedTensors(true);
    }

    /** Every buffer by dotted path, in the same order as {@link #namedParameters()}. */
    public Map<String, Tensor> namedBuffers() {
        return namedTensors(false);
    }

    private Map<String, Tensor> namedTensors(boolean wantParameters) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> entry : namedModules().entrySet()) {
            Module module = entry.getValue();
            for (Map.Entry<String, Tensor> own : (wantParameters ? module.parameters : module.buffers).entrySet()) {
                if (own.getValue() != null && seen.add(own.getValue())) {
                    out.put(join(entry.getKey(), own.getKey()), own.getValue());
                }
            }
        }
        return out;
    }

    /**
     * Every generator registered with {@link #registerGenerator} by dotted path
     * ({@code classifier.2.generator}), in the order of {@link #namedParameters()}. A generator shared
     * by several modules appears once, at its first path; the global generator never appears (a
     * checkpoint saves it on its own).
     */
    public Map<String, Generator> namedGenerators() {
        Map<String, Generator> out = new LinkedHashMap<>();
        Set<Generator> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(Generator.global());
        for (Map.Entry<String, Module> entry : namedModules().entrySet()) {
            for (Map.Entry<String, Generator> own : entry.getValue().generators.entrySet()) {
                if (seen.add(own.getValue())) {
                    out.put(join(entry.getKey(), own.getKey()), own.getValue());
                }
            }
        }
        return out;
    }

    /** The parameters in {@link #namedParameters()} order: what an optimizer is given. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The number of parameters, trainable or frozen: Σ numel over {@link #parameters()} (LeNet-5: 61,706). */
    public long numParameters() {
        long count = 0;
        for (Tensor parameter : parameters()) {
            count += parameter.numel();
        }
        return count;
    }

    /** Calls {@code fn} on every descendant, children before parents, then on this module; returns this. */
    public Module apply(Consumer<Module> fn) {
        for (Module child : children.values()) {
            child.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ------------------------------------------------------------------------------------------
    // Modes and gradients
    // ------------------------------------------------------------------------------------------

    /** Training mode for this module and every descendant (Dropout drops, BatchNorm uses batch statistics). */
    public Module train() {
        return train(true);
    }

    /**
     * Sets training mode ({@code true}) or evaluation mode ({@code false}) on this module, then calls
     * {@code train(on)} on each child, as PyTorch's {@code train(mode)} does. Because each child's
     * own {@code train} is called, a model can override this method to keep part of itself in
     * evaluation mode whatever its caller asks — the way to keep a frozen base's BatchNorm statistics
     * fixed while a training loop (or {@code Trainer}) calls {@code model.train()} every epoch:
     * <pre>
     *   class FrozenBaseClassifier extends Sequential {     // {base, head}
     *       private final Module base;
     *
     *       FrozenBaseClassifier(Module base, Module head) {
     *           this.base = base;
     *           add("base", base);
     *           add("head", head);
     *       }
     *
     *       &#64;Override
     *       public Module train(boolean on) {
     *           super.train(on);
     *           base.eval();            // BatchNorm in the base keeps its running statistics
     *           return this;
     *       }
     *   }
     * </pre>
     * Without such an override, call {@code model.train(); base.eval();} where you would call
     * {@code model.train()}. A module registered in two places is visited twice; that is harmless.
     */
    public Module train(boolean on) {
        training = on;
        for (Module child : children.values()) {
            child.train(on);
        }
        return this;
    }

    /** The training flag of every module by path, to put back with {@link #restoreTrainingModes}. */
    public Map<String, Boolean> trainingModes() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> entry : namedModules().entrySet()) {
            out.put(entry.getKey(), entry.getValue().training);
        }
        return out;
    }

    /**
     * Sets each module's training flag to what {@link #trainingModes} recorded, module by module, so
     * that a sub-tree kept in eval mode inside a training model stays so. For code that switches a
     * whole model to eval mode for a moment (a summary, an evaluation) and must leave it as it was.
     */
    public void restoreTrainingModes(Map<String, Boolean> modes) {
        for (Map.Entry<String, Module> entry : namedModules().entrySet()) {
            Boolean mode = modes.get(entry.getKey());
            if (mode != null) {
                entry.getValue().training = mode;
            }
        }
    }

    /** Evaluation mode everywhere below: {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode (the default). */
    public boolean isTraining() {
        return training;
    }

    /**
     * Sets every parameter's gradient to null, as PyTorch's {@code zero_grad()} with its default
     * {@code set_to_none=True}: the next backward stores a fresh gradient instead of adding to zeros.
     */
    public void zeroGrad() {
        for (Tensor parameter : parameters()) {
            parameter.setGrad(null);
        }
    }

    /**
     * Sets {@code requiresGrad} of every parameter of this sub-tree, as PyTorch's
     * {@code module.requires_grad_(False)}: frozen parameters get no gradient from {@code backward},
     * so optimizers and gradient clipping skip them and they stay bit-identical. Freezing does not
     * change BatchNorm's running statistics, which a forward in training mode still updates: keep a
     * frozen sub-tree in eval mode too (see {@link #train(boolean)}).
     */
    public Module requiresGrad_(boolean requiresGrad) {
        for (Tensor parameter : parameters()) {
            parameter.requiresGrad_(requiresGrad);
        }
        return this;
    }

    /** {@code requiresGrad_(false)}: stops gradient tracking for every parameter (fine-tuning: train only the layers after this). */
    public Module freeze() {
        return requiresGrad_(false);
    }

    /** {@code requiresGrad_(true)}: turns gradient tracking back on for every parameter. */
    public Module unfreeze() {
        return requiresGrad_(true);
    }

    /** The number of parameters that require a gradient (trained) — the rest are frozen. */
    public long numTrainableParameters() {
        long count = 0;
        for (Tensor parameter : parameters()) {
            count += parameter.requiresGrad() ? parameter.numel() : 0;
        }
        return count;
    }

    // ------------------------------------------------------------------------------------------
    // State dicts and checkpoints
    // ------------------------------------------------------------------------------------------

    /**
     * Every parameter, then every persistent buffer, of each module in turn (this one first, then its
     * children in registration order), by dotted path — the keys and order of PyTorch's {@code state_dict()}.
     *
     * <p>The values are <b>detached views sharing storage</b> with the model, as in PyTorch: they see
     * later training steps. Copy them ({@code t.copy()}) for a snapshot.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        addState("", out);
        return out;
    }

    private void addState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Tensor> parameter : parameters.entrySet()) {
            if (parameter.getValue() != null) {
                out.put(prefix + parameter.getKey(), parameter.getValue().detach());
            }
        }
        for (Map.Entry<String, Tensor> buffer : buffers.entrySet()) {
            if (buffer.getValue() != null && !nonPersistentBuffers.contains(buffer.getKey())) {
                out.put(prefix + buffer.getKey(), buffer.getValue().detach());
            }
        }
        for (Map.Entry<String, Module> child : children.entrySet()) {
            child.getValue().addState(prefix + child.getKey() + ".", out);
        }
    }

    /**
     * Copies {@code state} into this model's parameters and buffers, as PyTorch's {@code load_state_dict}.
     * See {@link StateDicts#load} for the checks; nothing is changed unless every check passes.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        return StateDicts.load(this, state, strict);
    }

    /**
     * Loads the part of {@code state} under {@code prefix} into this module: the keys that start with
     * {@code prefix + "."}, with the prefix taken off; every other key is ignored. For taking one piece
     * of a checkpoint, e.g. a pretrained network's base into a new model's base:
     * <pre>
     *   Map&lt;String, Tensor&gt; checkpoint = SafeTensors.load(Path.of("pretrained.safetensors"));  // a saved {base, head}
     *   base.loadStateDict(checkpoint, "base", true);   // base.0.weight → 0.weight ...; head.* ignored
     * </pre>
     * {@code strict} applies to the keys under the prefix, as in {@link #loadStateDict(Map, boolean)};
     * an empty prefix loads the whole map.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, String prefix, boolean strict) {
        return StateDicts.load(this, StateDicts.underPrefix(state, prefix), strict);
    }

    /** {@code loadStateDict(state, true)}: every key must match. */
    public LoadResult loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /** Saves {@link #stateDict()} to a safetensors file, atomically (see {@link SafeTensors#save}). */
    public void save(Path file) throws IOException {
        SafeTensors.save(stateDict(), file);
    }

    /**
     * Loads a safetensors file written by {@link #save} or by PyTorch, strictly. A file that does not
     * fit this model throws the {@link StateDictException} of {@link #loadStateDict(Map, boolean)}
     * with the file's path in front of its message.
     */
    public LoadResult load(Path file) throws IOException {
        Map<String, Tensor> state = SafeTensors.load(file);
        try {
            return loadStateDict(state, true);
        } catch (StateDictException e) {
            throw e.inFile(file);
        }
    }
}
