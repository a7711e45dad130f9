package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The launcher for every example: with no argument it lists them and runs the default one; with a
 * name it runs that one. Each example is also a plain class with a {@code main}, to run from the IDE.
 * <pre>
 *   mvn -q compile exec:java                          # list, then run "lenet"
 *   mvn -q compile exec:java -Dexec.args="tour"       # one by name
 *   mvn -q compile exec:java -Dexec.args="--help"     # the list, and how to run one
 *   mvn -q compile exec:java -Dexec.args="lenet --help"   # one example's options
 * </pre>
 */
public final class Examples {
    /** Run when no name is given. */
    public static final String DEFAULT = "lenet";

    /** An example's {@code main}. */
    @FunctionalInterface
    private interface Main {
        void main(String[] args) throws IOException;
    }

    private record Example(String description, Main main) {
    }

    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("lenet", new Example("LeNet on Fashion-MNIST (d2l 6.6): shape trace, summary, training, curves",
                LeNetExample::main));
        EXAMPLES.put("alexnet", new Example("AlexNet on Fashion-MNIST (d2l 7.1), CPU-sized: trace, summary, training, charts",
                AlexNetExample::main));
        EXAMPLES.put("vgg", new Example("VGG-11 on Fashion-MNIST (d2l 7.2), CPU-sized: blocks, trace, training, charts",
                VggExample::main));
        EXAMPLES.put("resnet", new Example("ResNet-18 (d2l 7.6) and a CPU-sized variant on Fashion-MNIST: residual blocks",
                ResNetExample::main));
        EXAMPLES.put("finetune", new Example("transfer learning: a pretrained ResNet's frozen base, a new head, then its last stage at lr/10",
                FinetuneExample::main));
        EXAMPLES.put("distill", new Example("knowledge distillation: a small MLP learns from a LeNet teacher's softened probabilities",
                DistillExample::main));
        EXAMPLES.put("style", new Example("neural style transfer: Adam on the pixels, content and Gram-matrix style losses on a VGG",
                StyleTransferExample::main));
        EXAMPLES.put("triplet", new Example("an embedding trained with triplet loss and online mining: verification, 1-NN, PCA",
                TripletExample::main));
        EXAMPLES.put("optimizers", new Example("SGD, momentum, RMSProp, Adagrad, Adam: paths on a bowl, LeNet loss curves",
                OptimizersExample::main));
        EXAMPLES.put("batchnorm", new Example("LeNet without normalisation, with BatchNorm and with LayerNorm, curves on one chart",
                BatchNormExample::main));
        EXAMPLES.put("charlm", new Example("a character-level LSTM/GRU language model makes up English words",
                CharLMExample::main));
        EXAMPLES.put("transformer", new Example("a Transformer encoder learns to reverse digit sequences; attention heat maps",
                TransformerExample::main));
        EXAMPLES.put("seq2seq", new Example("dates to ISO dates: Transformer and GRU+attention, greedy and beam search",
                Seq2SeqExample::main));
        EXAMPLES.put("gan", new Example("a DCGAN makes Fashion-MNIST images; a GAN on a ring of Gaussians collapses onto a few modes",
                GanExample::main));
        EXAMPLES.put("flowmnist", new Example("class-conditional flow matching on Fashion-MNIST: a U-Net, classifier-free guidance",
                FlowMnistExample::main));
        EXAMPLES.put("tour", new Example("a printed tour of tensors, views, broadcasting and autograd",
                TensorTour::main));
        EXAMPLES.put("spirals", new Example("a two-layer MLP (Linear, ReLU, CrossEntropyLoss, Adam) learns three spirals",
                SpiralClassifier::main));
        EXAMPLES.put("sde", new Example("Brownian motion, Ornstein-Uhlenbeck and Langevin dynamics by Euler-Maruyama",
                SdeExample::main));
        EXAMPLES.put("flow2d", new Example("flow matching in the plane: an MLP vector field carries noise to four 2-D targets",
                Flow2dExample::main));
        EXAMPLES.put("diffusion2d", new Example("score matching in the plane: SDE sampling beside the flow's ODE, score vs vector field",
                Diffusion2dExample::main));
    }

    private Examples() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the example named by {@code args[0]} (or the default) and returns the exit status: 0, or 2
     * for an unknown example or a mistake in its options. {@code --help} alone lists the examples;
     * after a name it is the example's own.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            list(out);
            out.println("Each example lists its options with --help, e.g. -Dexec.args=\"" + DEFAULT + " --help\".");
            return 0;
        }
        String name = args.length == 0 ? DEFAULT : args[0];
        Example example = EXAMPLES.get(name);
        if (example == null) {
            err.println("Unknown example \"" + name + "\". Available: " + String.join(", ", EXAMPLES.keySet()));
            return 2;
        }
        if (args.length == 0) {
            list(out);
            out.println("Running the default, \"" + DEFAULT + "\".");
        }
        String[] rest = new String[Math.max(0, args.length - 1)];
        System.arraycopy(args, args.length == 0 ? 0 : 1, rest, 0, rest.length);
        boolean nested = Options.insideLauncher;
        Options.insideLauncher = true;     // the example's options' parse throws to us instead of ending the JVM
        try {
            example.main().main(rest);
        } catch (Options.HelpRequested help) {
            out.print(help.text());
        } catch (IllegalArgumentException e) {
            // A mistyped option or value: say what is wrong, not where in the code it was noticed.
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Options.insideLauncher = nested;
        }
        return 0;
    }

    /** The examples' names, in the order the list shows them. */
    static Set<String> names() {
        return Collections.unmodifiableSet(EXAMPLES.keySet());
    }

    /** Prints every example's name and what it shows. */
    static void list(PrintStream out) {
        out.println("Kindling examples (run one with: -Dexec.args=\"<name> [options]\", or its class from the IDE):");
        for (Map.Entry<String, Example> entry : EXAMPLES.entrySet()) {
            out.printf("  %-12s %s%n", entry.getKey(), entry.getValue().description());
        }
    }
}
