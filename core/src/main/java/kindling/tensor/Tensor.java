package kindling.tensor;

import java.util.List;
import kindling.autograd.Backward;
import kindling.autograd.Function;
import kindling.autograd.GradMode;
import kindling.kernels.Elementwise;
import kindling.kernels.StridedLoops;
import kindling.ops.AbsOp;
import kindling.ops.AddInPlaceOp;
import kindling.ops.AddOp;
import kindling.ops.CatOp;
import kindling.ops.ClampOp;
import kindling.ops.CloneOp;
import kindling.ops.Comparison;
import kindling.ops.CosOp;
import kindling.ops.DivOp;
import kindling.ops.ExpOp;
import kindling.ops.ExpandOp;
import kindling.ops.GatherOp;
import kindling.ops.GeluOp;
import kindling.ops.IndexSelectOp;
import kindling.ops.LogOp;
import kindling.ops.LogSoftmaxOp;
import kindling.ops.LogSumExpOp;
import kindling.ops.MatMulOp;
import kindling.ops.MaxDimOp;
import kindling.ops.MaxOp;
import kindling.ops.MaximumOp;
import kindling.ops.MeanOp;
import kindling.ops.MinimumOp;
import kindling.ops.MulInPlaceOp;
import kindling.ops.MulOp;
import kindling.ops.NegOp;
import kindling.ops.PermuteOp;
import kindling.ops.PowOp;
import kindling.ops.ReluOp;
import kindling.ops.ReshapeOp;
import kindling.ops.ScatterAddOp;
import kindling.ops.SigmoidOp;
import kindling.ops.SinOp;
import kindling.ops.SliceOp;
import kindling.ops.SoftmaxOp;
import kindling.ops.Split;
import kindling.ops.SqrtOp;
import kindling.ops.StdOp;
import kindling.ops.SubOp;
import kindling.ops.SumOp;
import kindling.ops.TanhOp;
import kindling.ops.VarOp;
import kindling.ops.WhereOp;

/**
 * An n-dimensional array of {@code float}, the one data type of Kindling, that can record the
 * operations applied to it and differentiate through them.
 *
 * <p><b>Storage, shape, strides, offset.</b> The numbers live in one flat {@code float[]} (the
 * storage). Element {@code [i0, ..., in-1]} is at {@code offset + Σ i_k · stride_k}. A view — a
 * transpose, a slice, a reshape, an expand — is a new {@code Tensor} over the same storage with other
 * shape, strides and offset: no numbers move. {@code docs/tensors.md} draws the pictures.
 *
 * <p><b>Autograd.</b> A tensor created with {@link #requiresGrad_()} is a leaf of the graph. Each op
 * applied to it (while recording is on, see {@link kindling.autograd.NoGrad}) returns a tensor whose
 * {@link #gradFn()} is the op. {@link #backward()} walks those ops in reverse and adds ∂loss/∂leaf
 * into each leaf's {@link #grad()}.
 *
 * <p>This class is a facade: each math method delegates to one op class in {@code kindling.ops},
 * where its forward and backward stand side by side with the formula.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private boolean requiresGrad;
    private Tensor grad;
    private Function gradFn;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ------------------------------------------------------------------------------------------
    // Creation
    // ------------------------------------------------------------------------------------------

    /**
     * A contiguous tensor that uses {@code data} as its storage, without copying: later writes to
     * the array show in the tensor. Ops use it to wrap the arrays their kernels fill.
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] checked = Shape.checkSizes("wrap", shape);
        if (data.length != Shape.numel(checked)) {
            throw new ShapeException("wrap: " + data.length + " values cannot fill shape "
                    + Shape.format(checked) + " (" + Shape.numel(checked) + " elements)");
        }
        return new Tensor(new Storage(data), checked, Shape.contiguousStrides(checked), 0);
    }

    /** A tensor of the given shape holding a copy of {@code data} in row-major order. No shape: 1-D. */
    public static Tensor of(float[] data, int... shape) {
        int[] target = shape.length == 0 ? new int[] {data.length} : shape;
        if (data.length != Shape.numel(target)) {
            throw new ShapeException("of: " + data.length + " values cannot fill shape "
                    + Shape.format(target) + " (" + Shape.numel(target) + " elements)");
        }
        return wrap(data.clone(), target);
    }

    /** A 2-D tensor from rows of equal length: {@code Tensor.of(new float[][] {{1, 2}, {3, 4}})}. */
    public static Tensor of(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns) {
                throw new ShapeException("of: row " + r + " has " + rows[r].length + " values but row 0 has "
                        + columns);
            }
            System.arraycopy(rows[r], 0, data, r * columns, columns);
        }
        return wrap(data, rows.length, columns);
    }

    /** A 0-dim tensor holding one number, shape {@code ()}. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value});
    }

    /** Every element 0. */
    public static Tensor zeros(int... shape) {
        return wrap(new float[Shape.numel(Shape.checkSizes("zeros", shape))], shape);
    }

    /** Every element 1. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /**
     * Every element {@code value}: {@code Tensor.full(7f, 2, 3)} is {@code torch.full((2, 3), 7.)}.
     * The value comes first here because Java allows a variable number of sizes only as the last
     * argument; {@link #full(int[], float)} takes PyTorch's order for a shape held in an array.
     */
    public static Tensor full(float value, int... shape) {
        float[] data = new float[Shape.numel(Shape.checkSizes("full", shape))];
        java.util.Arrays.fill(data, value);
        return wrap(data, shape);
    }

    /** Every element {@code fillValue}, in PyTorch's argument order: {@code torch.full(size, fill_value)}. */
    public static Tensor full(int[] size, float fillValue) {
        return full(fillValue, size);
    }

    /** {@code fillValue} everywhere, with the shape of {@code other}: {@code torch.full_like}. */
    public static Tensor fullLike(Tensor other, float fillValue) {
        return full(fillValue, other.shape);
    }

    /** Zeros with the shape of {@code other}. */
    public static Tensor zerosLike(Tensor other) {
        return zeros(other.shape);
    }

    /** Ones with the shape of {@code other}. */
    public static Tensor onesLike(Tensor other) {
        return ones(other.shape);
    }

    /** {@code 0, 1, ..., end - 1} as floats. */
    public static Tensor arange(float end) {
        return arange(0, end, 1);
    }

    /**
     * {@code start, start + step, ...} up to but excluding {@code end}: ⌈(end − start) / step⌉
     * values, as {@code torch.arange}.
     */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        double count = Math.ceil(((double) end - start) / step);
        if (count < 0) {
            throw new IllegalArgumentException("arange: step " + step + " moves away from end " + end
                    + " starting at " + start);
        }
        float[] data = new float[(int) count];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (start + (double) i * step);
        }
        return wrap(data, data.length);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end}, both included. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be non-negative, got " + steps);
        }
        float[] data = new float[steps];
        // In float arithmetic, as PyTorch's CPU kernel, so the values match torch.linspace bit for bit.
        float step = steps > 1 ? (end - start) / (float) (steps - 1) : 0f;
        for (int i = 0; i < steps; i++) {
            // The second half counts back from end, as PyTorch does, so end is exact.
            data[i] = i < steps / 2 ? start + step * i : end - step * (steps - 1 - i);
        }
        if (steps == 1) {
            data[0] = start;                              // torch.linspace(3, 5, 1) is [3.]
        }
        return wrap(data, steps);
    }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) {
        return eye(n, n);
    }

    /** An n×m matrix with ones on the diagonal. */
    public static Tensor eye(int n, int m) {
        Tensor out = zeros(n, m);
        for (int i = 0; i < Math.min(n, m); i++) {
            out.storage.data[i * m + i] = 1f;
        }
        return out;
    }

    /** Uniform in [0, 1) from the global generator. */
    public static Tensor rand(int... shape) {
        return rand(Generator.global(), shape);
    }

    /** Uniform in [0, 1) from {@code generator}. */
    public static Tensor rand(Generator generator, int... shape) {
        float[] data = new float[Shape.numel(Shape.checkSizes("rand", shape))];
        generator.nextFloats(data);                    // = nextFloat() per element, one atomic step
        return wrap(data, shape);
    }

    /** Standard normal N(0, 1) from the global generator. */
    public static Tensor randn(int... shape) {
        return randn(Generator.global(), shape);
    }

    /** Standard normal N(0, 1) from {@code generator}. */
    public static Tensor randn(Generator generator, int... shape) {
        float[] data = new float[Shape.numel(Shape.checkSizes("randn", shape))];
        generator.nextGaussians(data);                 // = (float) nextGaussian() per element
        return wrap(data, shape);
    }

    /** Integers uniform in [low, high), stored as floats, from the global generator. */
    public static Tensor randint(int low, int high, int... shape) {
        return randint(Generator.global(), low, high, shape);
    }

    /** Integers uniform in [low, high), stored as floats, from {@code generator}. */
    public static Tensor randint(Generator generator, int low, int high, int... shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: high must be greater than low, got low=" + low
                    + ", high=" + high);
        }
        float[] data = new float[Shape.numel(Shape.checkSizes("randint", shape))];
        for (int i = 0; i < data.length; i++) {
            data[i] = low + generator.nextInt(high - low);
        }
        return wrap(data, shape);
    }

    // ------------------------------------------------------------------------------------------
    // Looking inside
    // ------------------------------------------------------------------------------------------

    /** The sizes of the dims, a copy. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one dim; {@code -1} is the last. */
    public int size(int dim) {
        return shape[Shape.normalizeDim("size", dim, shape.length)];
    }

    /** The number of dims: 0 for a scalar, 2 for a matrix. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return Shape.numel(shape);
    }

    /** The strides, a copy: how far in storage one step along each dim moves. */
    public int[] stride() {
        return strides.clone();
    }

    /** The stride of one dim. */
    public int stride(int dim) {
        return strides[Shape.normalizeDim("stride", dim, shape.length)];
    }

    /** Where element {@code [0, ..., 0]} sits in the storage. */
    public int storageOffset() {
        return offset;
    }

    /**
     * The backing array, shared with every view of this tensor. Read it with {@link #stride()} and
     * {@link #storageOffset()}; write to it only through in-place methods, which bump the version.
     */
    public float[] storage() {
        return storage.data;
    }

    /** How many in-place writes the storage has seen; autograd uses it to catch stale saved tensors. */
    public long version() {
        return storage.version;
    }

    /**
     * Records that an op wrote into {@link #storage()} directly: bumps the version, so that a tensor saved
     * for backward before the write is caught. For the recorded in-place ops in {@code kindling.ops};
     * user code writes through the in-place methods ({@code add_}, {@code relu_}...), which do it.
     */
    public void bumpVersion() {
        storage.version++;
    }

    /** Whether elements are laid out row-major with no gaps, so that a flat loop visits them in order. */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The one value of a tensor with one element. */
    public float item() {
        if (numel() != 1) {
            throw new ShapeException("item: only a tensor with one element can be converted to a number, got "
                    + Shape.format(shape));
        }
        return storage.data[offset];
    }

    /** The element at {@code index}, one entry per dim; negative indices count from the end. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: expected " + shape.length + " indices for shape "
                    + Shape.format(shape) + ", got " + index.length);
        }
        int position = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + index[d] + " is out of range for dim " + d
                        + " of size " + shape[d]);
            }
            position += i * strides[d];
        }
        return storage.data[position];
    }

    /**
     * Whether every element is close to {@code other}'s (broadcast against each other), as
     * {@code torch.allclose(self, other)} with its tolerances rtol = 1e-5 and atol = 1e-8:
     * see {@link #allclose(Tensor, double, double)}.
     */
    public boolean allclose(Tensor other) {
        return allclose(other, 1e-5, 1e-8);
    }

    /**
     * Whether {@code |self − other| ≤ atol + rtol · |other|} holds for every element, with the two
     * tensors broadcast against each other, as {@code torch.allclose(self, other, rtol, atol)}. Like
     * PyTorch's (with {@code equal_nan=False}), a NaN is close to nothing and an infinity only to
     * the same infinity; the test is not symmetric when rtol &gt; 0. Not recorded by autograd.
     */
    public boolean allclose(Tensor other, double rtol, double atol) {
        int[] common = Shape.broadcast("allclose", shape, other.shape);
        float[] a = detach().expand(common).toArray();
        float[] b = other.detach().expand(common).toArray();
        for (int i = 0; i < a.length; i++) {
            boolean close = Float.isInfinite(a[i]) || Float.isInfinite(b[i]) ? a[i] == b[i]
                    : Math.abs((double) a[i] - b[i]) <= atol + rtol * Math.abs((double) b[i]);
            if (!close) {
                return false;
            }
        }
        return true;
    }

    /** A fresh row-major copy of the elements. */
    public float[] toArray() {
        if (isContiguous()) {
            // The copy behind clone(), contiguous() and a leaf's first gradient when it cannot be
            // taken as is: one block copy, or blocks on several threads for a large array.
            return Elementwise.copyOfRange(storage.data, offset, offset + numel());
        }
        float[] out = new float[numel()];
        StridedLoops.copy(shape, storage.data, offset, strides, out, 0, Shape.contiguousStrides(shape));
        return out;
    }

    /**
     * The elements in row-major order, for kernels to read: the backing array itself when this
     * tensor covers all of it contiguously from offset 0 (no copy), else a fresh copy.
     * Do not write to the result.
     */
    public float[] data() {
        if (offset == 0 && storage.data.length == numel() && isContiguous()) {
            return storage.data;
        }
        return toArray();
    }

    // ------------------------------------------------------------------------------------------
    // Autograd
    // ------------------------------------------------------------------------------------------

    /** Whether gradients flow to this tensor: a leaf marked by the user, or the result of a recorded op. */
    public boolean requiresGrad() {
        return requiresGrad || gradFn != null;
    }

    /** Marks this leaf as a tensor whose gradient backward computes. Returns {@code this}. */
    public Tensor requiresGrad_() {
        return requiresGrad_(true);
    }

    /** Turns gradient tracking of this leaf on or off (off: frozen, as for fine-tuning). */
    public Tensor requiresGrad_(boolean on) {
        if (gradFn != null && !on) {
            throw new IllegalStateException("requiresGrad_: this tensor was computed by " + gradFn.name()
                    + "; only leaves can stop requiring grad. Use detach() for a copy outside the graph.");
        }
        requiresGrad = on;
        return this;
    }

    /** ∂loss/∂this after backward, accumulated over backward calls until set to null; null before. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient, e.g. {@code setGrad(null)} to zero it as {@code Module.zeroGrad()} does. */
    public void setGrad(Tensor grad) {
        if (grad != null && !Shape.same(grad.shape, shape)) {
            throw new ShapeException("setGrad: gradient of shape " + Shape.format(grad.shape)
                    + " does not match the tensor's shape " + Shape.format(shape));
        }
        this.grad = grad;
    }

    /** The op that produced this tensor, or null for a leaf. */
    public Function gradFn() {
        return gradFn;
    }

    /**
     * Links this tensor to the op that produced it. Called by {@link Function}'s {@code record};
     * not for user code.
     */
    public void setGradFn(Function fn) {
        if (gradFn != null) {
            throw new IllegalStateException("setGradFn: tensor already produced by " + gradFn.name());
        }
        gradFn = fn;
    }

    /**
     * Makes {@code fn}, a recorded in-place op that has just overwritten this tensor, its new
     * {@code gradFn}, as PyTorch's {@code rebase_history}. Called by {@link Function}'s
     * {@code recordInPlace}, which has fixed the edge from {@code fn} to the old {@code gradFn} first;
     * not for user code.
     */
    public void rebaseHistory(Function fn) {
        gradFn = fn;
    }

    /** True for tensors the user created (no gradFn). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Keep this intermediate tensor's gradient in {@link #grad()} during backward. */
    public Tensor retainGrad() {
        if (gradFn != null) {
            gradFn.retainGradOf(this);
        }
        return this;
    }

    /** Back-propagates from this scalar: fills {@code grad} of every leaf behind it with ∂this/∂leaf. */
    public void backward() {
        if (numel() != 1) {
            throw new ShapeException("backward: a gradient can be created implicitly only for a tensor with one "
                    + "element, got " + Shape.format(shape) + "; pass backward(gradient)");
        }
        backward(onesLike(this), false);
    }

    /** Back-propagates {@code gradient} (∂loss/∂this, same shape as this). Frees the graph after. */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /** As {@link #backward(Tensor)}; {@code retainGraph} keeps the saved tensors for a second backward. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Backward.run(this, gradient, retainGraph);
    }

    /** The same storage, cut from the graph: no gradFn, no requiresGrad. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    // ------------------------------------------------------------------------------------------
    // Views and copies (kindling.ops: ReshapeOp, PermuteOp, ExpandOp, SliceOp, CloneOp)
    // ------------------------------------------------------------------------------------------

    /**
     * A tensor over this storage with the given layout. Not recorded by autograd, so it refuses a
     * tensor that requires grad while recording is on; the view ops build on it. Checks that every
     * element it can address lies inside the storage.
     */
    public Tensor asStrided(int[] shape, int[] strides, int offset) {
        if (GradMode.isEnabled() && requiresGrad()) {
            throw new IllegalStateException("asStrided: not differentiable; use view, permute, narrow or expand, "
                    + "or call it inside NoGrad");
        }
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("asStrided: shape " + Shape.format(shape) + " and strides "
                    + Shape.format(strides) + " differ in rank");
        }
        long lowest = offset;
        long highest = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException("asStrided: negative size in " + Shape.format(shape));
            }
            if (shape[d] == 0) {
                lowest = 0;                              // empty: addresses nothing, so any offset is fine
                highest = -1;
                break;
            }
            long reach = (long) (shape[d] - 1) * strides[d];
            lowest += Math.min(reach, 0);
            highest += Math.max(reach, 0);
        }
        if (lowest < 0 || highest >= storage.data.length) {
            throw new IndexOutOfBoundsException("asStrided: shape " + Shape.format(shape) + ", strides "
                    + Shape.format(strides) + " and offset " + offset + " reach outside a storage of "
                    + storage.data.length + " elements");
        }
        storage.viewed = true;
        return new Tensor(storage, shape.clone(), strides.clone(), offset);
    }

    /**
     * Whether this tensor's storage is shared with a view: this tensor is a view (made by
     * {@link #asStrided}, as {@code view}, {@code reshape}, {@code narrow}, {@code expand}, {@code permute}
     * and the like make them), or a view was made of it. A recorded in-place op refuses such a tensor.
     */
    public boolean hasViews() {
        return storage.viewed;
    }

    /**
     * The same elements with another shape, sharing storage; one size may be {@code -1}. Fails when
     * the layout cannot be expressed with strides (use {@link #reshape}).
     */
    public Tensor view(int... shape) {
        return ReshapeOp.apply(this, shape, false);
    }

    /** As {@link #view}, but copies when the strides cannot express the new shape. */
    public Tensor reshape(int... shape) {
        return ReshapeOp.apply(this, shape, true);
    }

    /** Merges all dims into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Merges dims {@code startDim..endDim} (inclusive) into one, as {@code torch.flatten}. */
    public Tensor flatten(int startDim, int endDim) {
        int start = Shape.normalizeDim("flatten", startDim, shape.length);
        int end = Shape.normalizeDim("flatten", endDim, shape.length);
        if (shape.length == 0) {
            return reshape(1);
        }
        if (start > end) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        }
        int[] out = new int[shape.length - (end - start)];
        int merged = 1;
        for (int d = start; d <= end; d++) {
            merged *= shape[d];
        }
        System.arraycopy(shape, 0, out, 0, start);
        out[start] = merged;
        System.arraycopy(shape, end + 1, out, start + 1, shape.length - end - 1);
        return reshape(out);
    }

    /** Drops every dim of size 1. */
    public Tensor squeeze() {
        int kept = 0;
        for (int size : shape) {
            kept += size == 1 ? 0 : 1;
        }
        int[] out = new int[kept];
        int next = 0;
        for (int size : shape) {
            if (size != 1) {
                out[next++] = size;
            }
        }
        return view(out);
    }

    /** Drops {@code dim} if its size is 1; otherwise returns the same shape, as PyTorch does. */
    public Tensor squeeze(int dim) {
        int d = Shape.normalizeDim("squeeze", dim, shape.length);
        if (shape.length == 0 || shape[d] != 1) {
            return view(shape);
        }
        int[] out = new int[shape.length - 1];
        System.arraycopy(shape, 0, out, 0, d);
        System.arraycopy(shape, d + 1, out, d, shape.length - d - 1);
        return view(out);
    }

    /** Inserts a dim of size 1 at {@code dim} (which may be {@code dim()} to append). */
    public Tensor unsqueeze(int dim) {
        int d = Shape.normalizeDim("unsqueeze", dim, shape.length + 1);
        int[] out = new int[shape.length + 1];
        System.arraycopy(shape, 0, out, 0, d);
        out[d] = 1;
        System.arraycopy(shape, d, out, d + 1, shape.length - d);
        return view(out);
    }

    /** Reorders the dims: {@code permute(2, 0, 1)} makes the old dim 2 the new dim 0. A view. */
    public Tensor permute(int... dims) {
        return PermuteOp.apply(this, dims);
    }

    /** Swaps two dims. A view. */
    public Tensor transpose(int dim0, int dim1) {
        int[] order = new int[shape.length];
        for (int d = 0; d < order.length; d++) {
            order[d] = d;
        }
        int a = Shape.normalizeDim("transpose", dim0, shape.length);
        int b = Shape.normalizeDim("transpose", dim1, shape.length);
        if (shape.length == 0) {
            return view(shape);
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** The transpose of a matrix (a vector or scalar is returned as it is), as {@code torch.t}. */
    public Tensor t() {
        if (shape.length > 2) {
            throw new ShapeException("t: expects a tensor with at most 2 dims, got " + Shape.format(shape)
                    + "; use transpose(dim0, dim1)");
        }
        return shape.length < 2 ? view(shape) : transpose(0, 1);
    }

    /**
     * Repeats size-1 dims (and new leading dims) to {@code shape} without copying: their stride
     * becomes 0. {@code -1} keeps a size.
     */
    public Tensor expand(int... shape) {
        return ExpandOp.apply(this, shape);
    }

    /** Expands to the shape of {@code other}. */
    public Tensor expandAs(Tensor other) {
        return expand(other.shape);
    }

    /** Elements {@code start .. start+length-1} along {@code dim}. A view. */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.normalizeDim("narrow", dim, shape.length);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " and length " + length
                    + " do not fit dim " + dim + " of size " + shape[d] + " in " + Shape.format(shape));
        }
        return SliceOp.apply(this, d, start, length, 1);
    }

    /**
     * Elements {@code start, start+step, ...} before {@code end} along {@code dim}, as Python's
     * {@code x[..., start:end:step]}; negative start and end count from the end and are clamped.
     */
    public Tensor slice(int dim, int start, int end, int step) {
        int d = Shape.normalizeDim("slice", dim, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int size = shape[d];
        int from = Math.min(Math.max(start < 0 ? start + size : start, 0), size);
        int to = Math.min(Math.max(end < 0 ? end + size : end, from), size);
        int length = (to - from + step - 1) / step;
        return SliceOp.apply(this, d, from, length, step);
    }

    /** The slice at {@code index} along {@code dim}, with that dim removed: {@code x[i]} for dim 0. */
    public Tensor select(int dim, int index) {
        int d = Shape.normalizeDim("select", dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + dim
                    + " of size " + shape[d] + " in " + Shape.format(shape));
        }
        return narrow(d, i, 1).squeeze(d);
    }

    /** This tensor if it is contiguous, else a contiguous copy (recorded, so gradients flow). */
    public Tensor contiguous() {
        return isContiguous() ? this : CloneOp.apply(this);
    }

    /** A contiguous copy with its own storage; gradients flow back through it, as {@code torch.clone}. */
    public Tensor copy() {
        return CloneOp.apply(this);
    }

    // ------------------------------------------------------------------------------------------
    // In place. Each write bumps the storage's version. relu_, add_, sub_ and mul_ are recorded by
    // autograd (see docs/autograd.md); the others are for optimizers and initialisation.
    // ------------------------------------------------------------------------------------------

    /** {@code this += other} (broadcast to this shape); recorded, see {@link #add_(Tensor, float)}. */
    public Tensor add_(Tensor other) {
        return add_(other, 1f);
    }

    /**
     * {@code this += alpha · other}, as {@code torch.add_(other, alpha=...)}: the SGD step, and a residual
     * block's {@code Y += X}. While recording, when this tensor or {@code other} requires grad, the op is
     * recorded ({@link AddInPlaceOp}) and becomes this tensor's {@code gradFn}; a leaf that requires grad
     * and a tensor that shares storage with a view are refused then.
     */
    public Tensor add_(Tensor other, float alpha) {
        if (recordsInPlace(other)) {
            return AddInPlaceOp.apply(this, other, alpha);
        }
        float[] values = inPlaceValues("add_");
        Elementwise.addScaled(values, alpha, other.broadcastData("add_", shape));
        return storeInPlace(values);
    }

    /** {@code this += value}. */
    public Tensor add_(float value) {
        float[] values = inPlaceValues("add_");
        for (int i = 0; i < values.length; i++) {
            values[i] += value;
        }
        return storeInPlace(values);
    }

    /** {@code this −= other} (broadcast); recorded as {@link #add_(Tensor, float)} with alpha −1. */
    public Tensor sub_(Tensor other) {
        return add_(other, -1f);
    }

    /** {@code this *= other} (broadcast); recorded ({@link MulInPlaceOp}) as {@link #add_(Tensor, float)} is. */
    public Tensor mul_(Tensor other) {
        if (recordsInPlace(other)) {
            return MulInPlaceOp.apply(this, other);
        }
        float[] values = inPlaceValues("mul_");
        Elementwise.zip(Elementwise.Binary.MUL, values, other.broadcastData("mul_", shape), values);
        return storeInPlace(values);
    }

    /** {@code this *= value}; recorded ({@link MulInPlaceOp}) when this tensor requires grad while recording. */
    public Tensor mul_(float value) {
        if (recordsInPlace(null)) {
            return MulInPlaceOp.apply(this, value);
        }
        float[] values = inPlaceValues("mul_");
        Elementwise.scale(values, value);
        return storeInPlace(values);
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(float value) {
        float[] values = inPlaceValues("fill_");
        java.util.Arrays.fill(values, value);
        return storeInPlace(values);
    }

    /** Sets every element to 0. */
    public Tensor zero_() {
        return fill_(0f);
    }

    /** Copies {@code source} (broadcast to this shape) into this tensor's elements. */
    public Tensor copy_(Tensor source) {
        inPlaceValues("copy_");
        return storeInPlace(source.broadcastData("copy_", shape).clone());
    }

    /**
     * {@code max(this, 0)} written over this tensor, as {@code torch.relu_}; recorded ({@link ReluOp}) as
     * {@link #add_(Tensor, float)} is. Saves the array {@link #relu()} would allocate.
     */
    public Tensor relu_() {
        if (recordsInPlace(null)) {
            return ReluOp.applyInPlace(this);
        }
        float[] values = inPlaceValues("relu_");
        Elementwise.map(Elementwise.Unary.RELU, values, values);
        return storeInPlace(values);
    }

    /** Whether an in-place op on this tensor with {@code other} (may be null) is recorded by autograd. */
    private boolean recordsInPlace(Tensor other) {
        return GradMode.isEnabled() && (requiresGrad() || (other != null && other.requiresGrad()));
    }

    /**
     * The elements an in-place op will overwrite, as a row-major array. Refuses when the
     * write would break the graph: PyTorch's rule that a leaf requiring grad is changed only
     * inside no-grad, and for the ops autograd does not record in place ({@code fill_}, {@code copy_},
     * {@code add_(float)}...), that a recorded result is not changed in place.
     * A tensor that is all of its storage, in order (a parameter, a gradient, an optimizer's buffer), gets
     * its storage itself, so the op writes in place with no copy out and back; a view gets a copy, written
     * back through its strides by {@link #storeInPlace}.
     */
    private float[] inPlaceValues(String op) {
        if (GradMode.isEnabled() && requiresGrad()) {
            if (gradFn == null) {
                throw new IllegalStateException(op + ": a leaf tensor that requires grad cannot be changed in place "
                        + "while recording; wrap the update in try (NoGrad scope = NoGrad.enter()) { ... }");
            }
            throw new IllegalStateException(op + ": the tensor was computed by " + gradFn.name()
                    + " and is part of the graph; use the out-of-place op instead");
        }
        return data();
    }

    /** Writes {@code values} back through this tensor's strides (unless they are its storage) and bumps the version. */
    private Tensor storeInPlace(float[] values) {
        if (values != storage.data) {
            StridedLoops.copy(shape, values, 0, Shape.contiguousStrides(shape), storage.data, offset, strides);
        }
        storage.version++;
        return this;
    }

    /**
     * This tensor broadcast to {@code target}, as a row-major array of {@code numel(target)} values.
     * Reuses the storage when no copy is needed.
     */
    public float[] broadcastData(String op, int[] target) {
        if (Shape.same(shape, target)) {
            return data();
        }
        int[] readStrides = Shape.broadcastStrides(op, shape, strides, target);
        float[] out = new float[Shape.numel(target)];
        StridedLoops.copy(target, storage.data, offset, readStrides, out, 0, Shape.contiguousStrides(target));
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Elementwise arithmetic with broadcasting (kindling.ops)
    // ------------------------------------------------------------------------------------------

    /** {@code this + other}, broadcasting. */
    public Tensor add(Tensor other) {
        return AddOp.apply(this, other);
    }

    /** {@code this · other} elementwise, broadcasting. */
    public Tensor mul(Tensor other) {
        return MulOp.apply(this, other);
    }

    /** {@code this − other}, broadcasting. */
    public Tensor sub(Tensor other) {
        return SubOp.apply(this, other);
    }

    /** {@code this / other} elementwise, broadcasting; x/0 is ±∞ or NaN as in IEEE 754. */
    public Tensor div(Tensor other) {
        return DivOp.apply(this, other);
    }

    /** {@code this} raised to {@code exponent} elementwise, broadcasting; both may require grad. */
    public Tensor pow(Tensor exponent) {
        return PowOp.apply(this, exponent);
    }

    /** The larger of {@code this} and {@code other} elementwise, broadcasting; ties split the gradient. */
    public Tensor maximum(Tensor other) {
        return MaximumOp.apply(this, other);
    }

    /** The smaller of {@code this} and {@code other} elementwise, broadcasting; ties split the gradient. */
    public Tensor minimum(Tensor other) {
        return MinimumOp.apply(this, other);
    }

    // The scalar overloads wrap the number in a 0-dim tensor that does not require grad, so the
    // binary op broadcasts it and computes no gradient for it.

    /** {@code this + value}. */
    public Tensor add(float value) {
        return AddOp.apply(this, scalar(value));
    }

    /** {@code this − value}. */
    public Tensor sub(float value) {
        return SubOp.apply(this, scalar(value));
    }

    /** {@code this · value}. */
    public Tensor mul(float value) {
        return MulOp.apply(this, scalar(value));
    }

    /** {@code this / value}. */
    public Tensor div(float value) {
        return DivOp.apply(this, scalar(value));
    }

    /** {@code this} raised to {@code exponent}: {@code x.pow(2)} squares; the gradient of x⁰ is 0. */
    public Tensor pow(float exponent) {
        return PowOp.apply(this, scalar(exponent));
    }

    /** 1 where {@code this = other}, else 0 (broadcasting); never requires grad. */
    public Tensor eq(Tensor other) {
        return Comparison.apply(Comparison.Kind.EQ, this, other);
    }

    /** 1 where {@code this = value}, else 0. */
    public Tensor eq(float value) {
        return eq(scalar(value));
    }

    /** 1 where {@code this ≠ other}, else 0 (broadcasting); never requires grad. */
    public Tensor ne(Tensor other) {
        return Comparison.apply(Comparison.Kind.NE, this, other);
    }

    /** 1 where {@code this ≠ value}, else 0. */
    public Tensor ne(float value) {
        return ne(scalar(value));
    }

    /** 1 where {@code this < other}, else 0 (broadcasting); never requires grad. */
    public Tensor lt(Tensor other) {
        return Comparison.apply(Comparison.Kind.LT, this, other);
    }

    /** 1 where {@code this < value}, else 0. */
    public Tensor lt(float value) {
        return lt(scalar(value));
    }

    /** 1 where {@code this ≤ other}, else 0 (broadcasting); never requires grad. */
    public Tensor le(Tensor other) {
        return Comparison.apply(Comparison.Kind.LE, this, other);
    }

    /** 1 where {@code this ≤ value}, else 0. */
    public Tensor le(float value) {
        return le(scalar(value));
    }

    /** 1 where {@code this > other}, else 0 (broadcasting); never requires grad. */
    public Tensor gt(Tensor other) {
        return Comparison.apply(Comparison.Kind.GT, this, other);
    }

    /** 1 where {@code this > value}, else 0. */
    public Tensor gt(float value) {
        return gt(scalar(value));
    }

    /** 1 where {@code this ≥ other}, else 0 (broadcasting); never requires grad. */
    public Tensor ge(Tensor other) {
        return Comparison.apply(Comparison.Kind.GE, this, other);
    }

    /** 1 where {@code this ≥ value}, else 0. */
    public Tensor ge(float value) {
        return ge(scalar(value));
    }

    /**
     * {@code x} where {@code condition ≠ 0}, else {@code y}; the three broadcast together. Gradients
     * flow to x and y through the elements they supplied; the condition gets none.
     */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        return WhereOp.apply(condition, x, y);
    }

    /** {@code −this}. */
    public Tensor neg() {
        return NegOp.apply(this);
    }

    /** eˣ elementwise. */
    public Tensor exp() {
        return ExpOp.apply(this);
    }

    /** The natural logarithm elementwise: −∞ at 0, NaN below. */
    public Tensor log() {
        return LogOp.apply(this);
    }

    /** √x elementwise: NaN below 0; the gradient at 0 is ∞, as in PyTorch. */
    public Tensor sqrt() {
        return SqrtOp.apply(this);
    }

    /** |x| elementwise; the gradient at 0 is 0. */
    public Tensor abs() {
        return AbsOp.apply(this);
    }

    /** max(x, 0) elementwise; the gradient at 0 is 0. */
    public Tensor relu() {
        return ReluOp.apply(this);
    }

    /** 1 / (1 + e⁻ˣ) elementwise, without overflow for large |x|. */
    public Tensor sigmoid() {
        return SigmoidOp.apply(this);
    }

    /** tanh x elementwise. */
    public Tensor tanh() {
        return TanhOp.apply(this);
    }

    /** GELU, exact form x · Φ(x) with Φ the standard normal CDF (PyTorch's default). */
    public Tensor gelu() {
        return GeluOp.apply(this, false);
    }

    /** GELU; with {@code tanhApproximation} the tanh form, as PyTorch's {@code approximate='tanh'}. */
    public Tensor gelu(boolean tanhApproximation) {
        return GeluOp.apply(this, tanhApproximation);
    }

    /** sin x elementwise (radians). */
    public Tensor sin() {
        return SinOp.apply(this);
    }

    /** cos x elementwise (radians). */
    public Tensor cos() {
        return CosOp.apply(this);
    }

    /**
     * Each element clamped into [min, max]; either bound may be ±infinity. The gradient passes where
     * min ≤ x ≤ max, bounds included, as in PyTorch.
     */
    public Tensor clamp(float min, float max) {
        return ClampOp.apply(this, min, max);
    }

    /** max(x, min) elementwise: {@code clamp(min, +∞)}. */
    public Tensor clampMin(float min) {
        return clamp(min, Float.POSITIVE_INFINITY);
    }

    /** min(x, max) elementwise: {@code clamp(−∞, max)}. */
    public Tensor clampMax(float max) {
        return clamp(Float.NEGATIVE_INFINITY, max);
    }

    // ------------------------------------------------------------------------------------------
    // Reductions (kindling.ops)
    // ------------------------------------------------------------------------------------------

    /** The sum of every element, a scalar. */
    public Tensor sum() {
        return SumOp.apply(this, new int[0], false);
    }

    /** Sums over {@code dim}, which is dropped. */
    public Tensor sum(int dim) {
        return sum(dim, false);
    }

    /** Sums over {@code dim}, kept with size 1 when {@code keepDim}. */
    public Tensor sum(int dim, boolean keepDim) {
        return SumOp.apply(this, new int[] {dim}, keepDim);
    }

    /** Sums over several dims at once. */
    public Tensor sum(int[] dims, boolean keepDim) {
        return SumOp.apply(this, dims, keepDim);
    }

    /** The mean of every element, a scalar. */
    public Tensor mean() {
        return MeanOp.apply(this, new int[0], false);
    }

    /** The mean over {@code dim}, which is dropped. */
    public Tensor mean(int dim) {
        return mean(dim, false);
    }

    /** The mean over {@code dim}, kept with size 1 when {@code keepDim}. */
    public Tensor mean(int dim, boolean keepDim) {
        return MeanOp.apply(this, new int[] {dim}, keepDim);
    }

    /** The mean over several dims at once (none listed: all). */
    public Tensor mean(int[] dims, boolean keepDim) {
        return MeanOp.apply(this, dims, keepDim);
    }

    /** The largest element, a scalar; with ties the gradient is shared evenly among them. */
    public Tensor max() {
        return MaxOp.apply(this, true);
    }

    /** The smallest element, a scalar; with ties the gradient is shared evenly among them. */
    public Tensor min() {
        return MaxOp.apply(this, false);
    }

    /** The largest element along {@code dim} and its index (the first on ties); gradient to that index. */
    public ValuesAndIndices max(int dim, boolean keepDim) {
        return MaxDimOp.apply(this, dim, keepDim, true);
    }

    /** The smallest element along {@code dim} and its index (the first on ties); gradient to that index. */
    public ValuesAndIndices min(int dim, boolean keepDim) {
        return MaxDimOp.apply(this, dim, keepDim, false);
    }

    /** The flat row-major index of the largest element (the first on ties), a scalar. Not differentiable. */
    public Tensor argmax() {
        return MaxDimOp.argIndices(detach().reshape(-1), 0, false, true);
    }

    /** The flat row-major index of the smallest element (the first on ties), a scalar. Not differentiable. */
    public Tensor argmin() {
        return MaxDimOp.argIndices(detach().reshape(-1), 0, false, false);
    }

    /**
     * The index of the largest element along {@code dim} (the first on ties), with {@code dim}
     * removed: {@code x.argmax(1)} on (N, C) logits is each row's predicted class, shape (N), as
     * {@code torch.argmax(x, dim=1)}. Not differentiable.
     */
    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    /** The index of the smallest element along {@code dim} (the first on ties), with {@code dim} removed. */
    public Tensor argmin(int dim) {
        return argmin(dim, false);
    }

    /** The index of the largest element along {@code dim} (the first on ties). Not differentiable. */
    public Tensor argmax(int dim, boolean keepDim) {
        return MaxDimOp.argIndices(this, dim, keepDim, true);
    }

    /** The index of the smallest element along {@code dim} (the first on ties). Not differentiable. */
    public Tensor argmin(int dim, boolean keepDim) {
        return MaxDimOp.argIndices(this, dim, keepDim, false);
    }

    /** The unbiased variance (divided by n − 1) of every element, a scalar. */
    public Tensor var() {
        return var(true);
    }

    /** The variance of every element: divided by n − 1 when {@code unbiased}, else by n. */
    public Tensor var(boolean unbiased) {
        return VarOp.apply(this, new int[0], unbiased, false);
    }

    /** The variance over {@code dim}, kept with size 1 when {@code keepDim}. */
    public Tensor var(int dim, boolean unbiased, boolean keepDim) {
        return VarOp.apply(this, new int[] {dim}, unbiased, keepDim);
    }

    /** The variance over several dims at once (none listed: all). */
    public Tensor var(int[] dims, boolean unbiased, boolean keepDim) {
        return VarOp.apply(this, dims, unbiased, keepDim);
    }

    /** The unbiased standard deviation of every element, a scalar. */
    public Tensor std() {
        return std(true);
    }

    /** The standard deviation of every element: from the variance divided by n − 1 when {@code unbiased}. */
    public Tensor std(boolean unbiased) {
        return StdOp.apply(this, new int[0], unbiased, false);
    }

    /** The standard deviation over {@code dim}, kept with size 1 when {@code keepDim}. */
    public Tensor std(int dim, boolean unbiased, boolean keepDim) {
        return StdOp.apply(this, new int[] {dim}, unbiased, keepDim);
    }

    /** The standard deviation over several dims at once (none listed: all). */
    public Tensor std(int[] dims, boolean unbiased, boolean keepDim) {
        return StdOp.apply(this, dims, unbiased, keepDim);
    }

    /** log Σ exp over {@code dim}, which is dropped; computed without overflow. */
    public Tensor logsumexp(int dim) {
        return logsumexp(dim, false);
    }

    /** log Σ exp over {@code dim}, kept with size 1 when {@code keepDim}. */
    public Tensor logsumexp(int dim, boolean keepDim) {
        return LogSumExpOp.apply(this, new int[] {dim}, keepDim);
    }

    /** log Σ exp over several dims at once. */
    public Tensor logsumexp(int[] dims, boolean keepDim) {
        return LogSumExpOp.apply(this, dims, keepDim);
    }

    /** exp(x) / Σ exp(x) along {@code dim}: each slice along it becomes a probability distribution. */
    public Tensor softmax(int dim) {
        return SoftmaxOp.apply(this, dim);
    }

    /** log(softmax(x)) along {@code dim}, computed directly so it stays finite. */
    public Tensor logSoftmax(int dim) {
        return LogSoftmaxOp.apply(this, dim);
    }

    // ------------------------------------------------------------------------------------------
    // Linear algebra, joining and indexing (kindling.ops)
    // ------------------------------------------------------------------------------------------

    /**
     * Matrix product as {@code torch.matmul}: (K)·(K) → () dot product; (M, K)·(K, N) → (M, N);
     * a vector on the left is a row, on the right a column, and that dim is removed from the result;
     * with more dims, the leading ones are batch dims that broadcast: (2, 1, 3, 4)·(5, 4, 6) → (2, 5, 3, 6).
     */
    public Tensor matmul(Tensor other) {
        return MatMulOp.apply("matmul", this, other);
    }

    /** Product of two matrices, (M, K)·(K, N) → (M, N); no vectors, no batches (use {@link #matmul}). */
    public Tensor mm(Tensor other) {
        if (shape.length != 2 || other.shape.length != 2) {
            throw new ShapeException("mm: expects two 2-D matrices, got " + Shape.format(shape) + " and "
                    + Shape.format(other.shape) + "; use matmul for vectors and batches");
        }
        return MatMulOp.apply("mm", this, other);
    }

    /** Joins tensors along {@code dim}; every other size must match: (2, 3) and (2, 4) on dim 1 → (2, 7). */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return CatOp.apply(tensors, dim);
    }

    /** As {@link #cat(List, int)}: {@code Tensor.cat(1, a, b)}. */
    public static Tensor cat(int dim, Tensor... tensors) {
        return CatOp.apply(List.of(tensors), dim);
    }

    /** Joins tensors of one shape along a new dim {@code dim}: three (2, 3) on dim 0 → (3, 2, 3). */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return CatOp.stack(tensors, dim);
    }

    /** As {@link #stack(List, int)}: {@code Tensor.stack(0, a, b, c)}. */
    public static Tensor stack(int dim, Tensor... tensors) {
        return CatOp.stack(List.of(tensors), dim);
    }

    /** Views of {@code splitSize} along {@code dim}; the last is smaller when the size does not divide. */
    public List<Tensor> split(int splitSize, int dim) {
        return Split.bySize(this, splitSize, dim);
    }

    /** Views of the given sizes along {@code dim}, which must add up to its size. */
    public List<Tensor> split(int[] sizes, int dim) {
        return Split.bySizes(this, sizes, dim);
    }

    /** At most {@code chunks} views of ⌈size / chunks⌉ along {@code dim}, as {@code torch.chunk}. */
    public List<Tensor> chunk(int chunks, int dim) {
        return Split.chunk(this, chunks, dim);
    }

    /** The slices at {@code index} (1-D, whole numbers) along {@code dim}, in that order; repeats allowed. */
    public Tensor indexSelect(int dim, Tensor index) {
        return IndexSelectOp.apply(this, dim, index);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for dim 1 (and likewise for other dims), as {@code torch.gather}. */
    public Tensor gather(int dim, Tensor index) {
        return GatherOp.apply(this, dim, index);
    }

    /**
     * A copy of this with {@code src} added at the places {@code index} chooses along {@code dim}:
     * {@code out[index[i][j]][j] += src[i][j]} for dim 0, as {@code torch.scatter_add} (out of place).
     * src may be larger than index in any dim: only the part index covers is added (and gets a gradient).
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return ScatterAddOp.apply(this, dim, index, src);
    }

    // ------------------------------------------------------------------------------------------
    // Printing
    // ------------------------------------------------------------------------------------------

    /** PyTorch's style: {@code tensor([[0.1000, 0.2000]], gradFn=MulOp)}. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
