package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.data.Batch;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.charts.Charts;
import kindling.examples.models.ResNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Linear;
import kindling.nn.LoadResult;
import kindling.nn.Module;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.ParamGroup;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.Trainer;

/**
 * Transfer learning on Fashion-MNIST: a CNN pretrained on classes 0–4 (T-shirt, trouser, pullover,
 * dress, coat) learns classes 5–9 (sandal, shirt, sneaker, bag, ankle boot) from a few labelled
 * images per class, three ways:
 * <ol>
 *   <li>from scratch: a fresh network, every layer trained;</li>
 *   <li>frozen base + new head: the pretrained convolutional base with {@code requiresGrad_(false)}
 *       and in eval mode (its BatchNorm statistics stay those of pretraining), a new Linear head
 *       trained at {@code --head-lr} (0.01: a fresh linear layer on fixed features takes a larger
 *       step than a whole network);</li>
 *   <li>then fine-tuned: continuing from (b), the last stage of the base unfrozen and added to the
 *       optimizer as a second parameter group at a ten times lower learning rate than the head's.</li>
 * </ol>
 * Every run uses Adam; from scratch and pretraining use {@code --lr} (0.001).
 * It prints the test accuracy per method and label budget and the trainable/frozen counts, and
 * writes the test-accuracy curves to {@code charts/finetune/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="finetune"
 *   options: --budgets 10,100  --pretrain-epochs N  --epochs N  --finetune-epochs N  --lr X  --head-lr X
 *            --data DIR  --threads N  --seed N
 * </pre>
 * By default it uses the Fashion-MNIST subset bundled with the examples (600 training and 100 test
 * images per class), so that it runs in a few minutes on two cores: pretraining sees the 3,000
 * training images of classes 0–4; the test accuracy is on the 500 test images of classes 5–9.
 * {@code --data DIR} uses the whole data set from a directory (pretraining then on 30,000 images).
 */
public final class FinetuneExample {
    private FinetuneExample() {
    }

    /** One method's result at one label budget: its test accuracy after each epoch and its parameter counts. */
    record Run(String method, int perClass, List<Double> testAccuracy, long trainable, long frozen) {
        double finalAccuracy() {
            return testAccuracy.get(testAccuracy.size() - 1);
        }
    }

    /** The fine-tuning model: the pretrained network's convolutional base and a new head. */
    record TransferNet(Sequential model, Sequential base) {
        /** The PyTorch idiom: the whole model in training mode, then the base back in eval mode (fixed BatchNorm statistics). */
        void trainKeepingBaseInEval() {
            model.train();
            base.eval();
        }
    }

    public static void main(String[] args) {
        Options options = Options.declare("finetune", "transfer learning on Fashion-MNIST: pretrain on classes 0-4, then learn "
                        + "5-9 from few labels (scratch, frozen base, fine-tuned last stage)")
                .text("budgets", "LIST", "10,100", "labelled images per class for classes 5-9, comma-separated")
                .integer("pretrain-epochs", 2, "epochs of pretraining on classes 0-4")
                .integer("epochs", 12, "epochs for the scratch and frozen-base runs")
                .integer("finetune-epochs", 6, "epochs with the last stage unfrozen")
                .number("lr", 0.001, "learning rate of pretraining, scratch and fine-tuning's base")
                .number("head-lr", 0.01, "learning rate of the new head")
                .text("data", "DIR", null, "read Fashion-MNIST's four IDX files from DIR").byDefault("the bundled subset")
                .threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));
        int[] budgets = parseBudgets(options.get("budgets", "10,100"));
        int pretrainEpochs = options.getInt("pretrain-epochs", 2);
        int epochs = options.getInt("epochs", 12);
        int finetuneEpochs = options.getInt("finetune-epochs", 6);
        double lr = options.getDouble("lr", 0.001);
        double headLr = options.getDouble("head-lr", 0.01);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        try {
            run(options.has("data") ? options.fashionMnist() : kindling.data.FashionMnist.loadBundledSubset(),
                    budgets, pretrainEpochs, epochs, finetuneEpochs, lr, headLr, Path.of("charts", "finetune"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Run> run(ImageData data, int[] budgets, int pretrainEpochs, int epochs, int finetuneEpochs,
            double lr, double headLr, Path charts) throws IOException {
        System.out.println("Data: " + data);
        // ---- data: the source task (classes 0–4) and the target task (classes 5–9, labels 0–4) ----
        TensorDataset source = classes(data.train(), 0, Integer.MAX_VALUE);
        TensorDataset targetTest = classes(data.test(), 5, Integer.MAX_VALUE);
        System.out.printf("Source task: %d training images of classes 0-4. Target task: classes 5-9, %d test images%n",
                source.size(), targetTest.size());

        // ---- pretraining: the CPU-sized ResNet with a 5-way head, on the source task ----
        Sequential pretrained = ResNet.small();
        pretrained.replaceModule("7", new Linear(128, 5));            // five source classes, not ten
        Adam pretrainOptimizer = Adam.builder(pretrained.parameters()).lr(lr).build();
        DataLoader sourceLoader = DataLoader.builder(source).batchSize(64).shuffle(1).build();
        for (int epoch = 1; epoch <= pretrainEpochs; epoch++) {
            pretrained.train();
            double loss = trainOneEpoch(pretrained, sourceLoader, pretrainOptimizer);
            System.out.printf("pretraining epoch %d: loss %.3f%n", epoch, loss);
        }
        Map<String, Tensor> checkpoint = copy(pretrained.stateDict());
        double sourceAccuracy = accuracy(pretrained, classes(data.test(), 0, Integer.MAX_VALUE));
        System.out.printf("pretrained network: test accuracy %.3f on classes 0-4%n", sourceAccuracy);

        // ---- the three methods at each label budget ----
        List<Run> runs = new ArrayList<>();
        for (int perClass : budgets) {
            TensorDataset few = classes(data.train(), 5, perClass);
            System.out.printf("%n== %d labelled images per class (%d in all) ==%n", perClass, few.size());
            DataLoader loader = DataLoader.builder(few).batchSize(Math.min(32, few.size())).shuffle(perClass).build();

            // (a) from scratch: every layer trained, same architecture, same budget
            TransferNet scratch = newNet();
            Adam scratchOptimizer = Adam.builder(scratch.model().parameters()).lr(lr).build();
            List<Double> scratchCurve = new ArrayList<>();
            for (int epoch = 0; epoch < epochs + finetuneEpochs; epoch++) {
                scratch.model().train();
                trainOneEpoch(scratch.model(), loader, scratchOptimizer);
                scratchCurve.add(accuracy(scratch.model(), targetTest));
            }
            runs.add(report(new Run("from scratch", perClass, scratchCurve, scratch.model().numTrainableParameters(),
                    frozen(scratch.model()))));

            // (b) the pretrained base, frozen and in eval mode, and a new head
            TransferNet transfer = newNet();
            LoadResult loaded = transfer.base().loadStateDict(checkpoint, "", false);
            System.out.println("loaded the pretrained base; keys not used: " + loaded.unexpectedKeys()
                    + ", keys not found: " + loaded.missingKeys());
            transfer.base().requiresGrad_(false);
            Adam optimizer = Adam.builder(transfer.model().submodule("head").parameters()).lr(headLr).build();
            if (perClass == budgets[0]) {
                System.out.println(Summary.of(transfer.model(), 1, 1, 28, 28));
            }
            List<Double> headCurve = new ArrayList<>();
            for (int epoch = 0; epoch < epochs; epoch++) {
                transfer.trainKeepingBaseInEval();
                trainOneEpoch(transfer.model(), loader, optimizer);
                headCurve.add(accuracy(transfer.model(), targetTest));
            }
            runs.add(report(new Run("frozen base + new head", perClass, headCurve,
                    transfer.model().numTrainableParameters(), frozen(transfer.model()))));

            // (c) continue: unfreeze the last stage and train it at a tenth of the head's lr
            Module lastStage = transfer.base().submodule("4");
            lastStage.requiresGrad_(true);
            optimizer.addParamGroup(ParamGroup.of(lastStage.parameters()).lr(headLr / 10));
            List<Double> fineCurve = new ArrayList<>(headCurve);
            for (int epoch = 0; epoch < finetuneEpochs; epoch++) {
                transfer.trainKeepingBaseInEval();
                trainOneEpoch(transfer.model(), loader, optimizer);
                fineCurve.add(accuracy(transfer.model(), targetTest));
            }
            runs.add(report(new Run("+ last stage at lr/10", perClass, fineCurve,
                    transfer.model().numTrainableParameters(), frozen(transfer.model()))));

            Map<String, double[]> series = new LinkedHashMap<>();
            for (Run r : runs.subList(runs.size() - 3, runs.size())) {
                series.put(r.method(), r.testAccuracy().stream().mapToDouble(Double::doubleValue).toArray());
            }
            Path chart = Charts.lines("Classes 5-9 from " + perClass + " images per class: test accuracy", "epoch",
                    "test accuracy", series, charts.resolve("finetune-" + perClass + ".png"));
            System.out.println("Curves: " + chart.toAbsolutePath());
        }
        System.out.println("\n" + table(runs, budgets));
        return runs;
    }

    /** A fresh ResNet base (b1 ... b5, pool, flatten) and a new 5-way head, as one model {base, head}. */
    static TransferNet newNet() {
        Sequential base = ResNet.smallBase();
        Sequential model = new Sequential();
        model.add("base", base);
        model.add("head", new Linear(128, 5));
        return new TransferNet(model, base);
    }

    /** One pass over {@code loader}: zeroGrad, forward, loss, backward, step; returns the mean loss. */
    static double trainOneEpoch(Module model, DataLoader loader, Adam optimizer) {
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        double sum = 0;
        int count = 0;
        for (Batch batch : loader) {
            optimizer.zeroGrad();
            Tensor loss = lossFunction.forward(model.forward(batch.inputs()), batch.targets());
            loss.backward();
            optimizer.step();
            sum += loss.item() * batch.size();
            count += batch.size();
        }
        return sum / count;
    }

    /** Accuracy on {@code data}, in eval mode without gradients (each module's mode is restored after). */
    static double accuracy(Module model, TensorDataset data) {
        return Trainer.evaluate(model, new CrossEntropyLoss(), DataLoader.builder(data).batchSize(250).build())
                .accuracy();
    }

    /**
     * The images of the five classes from {@code firstClass} (labels shifted to 0–4), at most
     * {@code perClass} of each, in data-set order.
     */
    static TensorDataset classes(TensorDataset data, int firstClass, int perClass) {
        float[] labels = data.targets().toArray();
        int[] taken = new int[5];
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            int c = (int) labels[i] - firstClass;
            if (c >= 0 && c < 5 && taken[c] < perClass) {
                taken[c]++;
                chosen.add(i);
            }
        }
        float[] index = new float[chosen.size()];
        float[] shifted = new float[chosen.size()];
        for (int k = 0; k < index.length; k++) {
            index[k] = chosen.get(k);
            shifted[k] = labels[chosen.get(k)] - firstClass;
        }
        Tensor images = data.inputs().indexSelect(0, Tensor.wrap(index, index.length));
        return new TensorDataset(images, Tensor.wrap(shifted, shifted.length));
    }

    private static long frozen(Module model) {
        return model.numParameters() - model.numTrainableParameters();
    }

    private static Run report(Run run) {
        System.out.printf("%-24s test accuracy %.3f  (trainable %,d, frozen %,d)%n", run.method(), run.finalAccuracy(),
                run.trainable(), run.frozen());
        return run;
    }

    /** The Markdown table of final test accuracy: one row per method, one column per budget. */
    static String table(List<Run> runs, int[] budgets) {
        StringBuilder out = new StringBuilder("| method | trainable / frozen |");
        for (int budget : budgets) {
            out.append(' ').append(budget).append(" per class |");
        }
        out.append("\n|---|---|").append("---|".repeat(budgets.length)).append('\n');
        Map<String, List<Run>> byMethod = new LinkedHashMap<>();
        for (Run run : runs) {
            byMethod.computeIfAbsent(run.method(), key -> new ArrayList<>()).add(run);
        }
        for (Map.Entry<String, List<Run>> method : byMethod.entrySet()) {
            Run first = method.getValue().get(0);
            out.append("| ").append(method.getKey()).append(" | ")
                    .append(String.format("%,d / %,d", first.trainable(), first.frozen())).append(" |");
            for (Run run : method.getValue()) {
                out.append(String.format(" %.3f |", run.finalAccuracy()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((key, value) -> out.put(key, Tensor.wrap(value.toArray(), value.shape())));
        return out;
    }

    private static int[] parseBudgets(String text) {
        String[] parts = text.split(",");
        int[] budgets = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                budgets[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--budgets must be whole numbers separated by commas, got \""
                        + text + "\"");
            }
            if (budgets[i] < 1) {
                throw new IllegalArgumentException("--budgets must be at least 1 image per class, got " + budgets[i]);
            }
        }
        return budgets;
    }
}
