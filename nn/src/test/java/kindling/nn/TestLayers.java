package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Stand-ins for layers core does not have yet (no matmul here): they register the same parameters
 * and buffers under the same names as PyTorch's layers and print the same {@code extraRepr}, so the
 * module tree, the state dict keys and the printed model can be compared with PyTorch's.
 */
final class TestLayers {
    private TestLayers() {
    }

    /** PyTorch's Linear's parameters; forward is x · w[0] + b elementwise, enough to see a chain run. */
    static final class Linear extends Module {
        final int in;
        final int out;
        final Tensor weight;
        final Tensor bias;

        Linear(int in, int out, boolean bias) {
            this.in = in;
            this.out = out;
            this.weight = registerParameter("weight", Tensor.rand(out, in));
            this.bias = registerParameter("bias", bias ? Tensor.rand(out) : null);
        }

        Linear(int in, int out) {
            this(in, out, true);
        }

        @Override
        public String extraRepr() {
            return "in_features=" + in + ", out_features=" + out + ", bias=" + (bias != null ? "True" : "False");
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor scaled = input.mul(weight.select(0, 0));
            return bias == null ? scaled : scaled.add(Tensor.scalar(1f).mul(bias.select(0, 0)));
        }
    }

    /** Parameter-free, as PyTorch's ReLU; forward computes max(0, x) without recording (test stand-in). */
    static final class ReLU extends Module {
        @Override
        public Tensor forward(Tensor input) {
            float[] values = input.toArray();
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.max(0f, values[i]);
            }
            return Tensor.wrap(values, input.shape());
        }
    }

    /** BatchNorm1d's parameters and buffers (num_batches_tracked as a float here). */
    static final class BatchNorm1d extends Module {
        final int features;

        BatchNorm1d(int features) {
            this.features = features;
            registerParameter("weight", Tensor.ones(features));
            registerParameter("bias", Tensor.zeros(features));
            registerBuffer("running_mean", Tensor.zeros(features));
            registerBuffer("running_var", Tensor.ones(features));
            registerBuffer("num_batches_tracked", Tensor.scalar(0f));
        }

        @Override
        public String extraRepr() {
            return features + ", eps=1e-05, momentum=0.1, affine=True, track_running_stats=True";
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    /** The model of the PyTorch snippet in ModuleTest: nested Sequential, a BatchNorm, a ModuleList. */
    static final class Net extends Module {
        final Sequential features;
        final BatchNorm1d norm;
        final ModuleList head;

        Net() {
            features = registerModule("features", new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2)));
            norm = registerModule("norm", new BatchNorm1d(2));
            head = registerModule("head", new ModuleList(new Identity(), new Linear(2, 2, false)));
        }

        @Override
        public Tensor forward(Tensor input) {
            return head.get(1).forward(norm.forward(features.forward(input)));
        }
    }
}
