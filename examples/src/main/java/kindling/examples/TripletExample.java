package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.models.EmbeddingNet;
import kindling.examples.triplet.EmbeddingMetrics;
import kindling.examples.triplet.PKSampler;
import kindling.examples.triplet.Pca;
import kindling.examples.triplet.TripletMining;
import kindling.kernels.Threads;
import kindling.nn.Module;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.ProgressBar;

/**
 * An embedding trained with the triplet loss and online mining (FaceNet-style) on Fashion-MNIST:
 * images of a class should land close together on the unit sphere, images of different classes at
 * least a margin apart. No classifier is trained; the classes show up in the geometry.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="triplet --threads 2"
 *   mvn -q compile exec:java -Dexec.args="triplet --mining batch-hard"      # watch it collapse
 *   mvn -q compile exec:java -Dexec.args="triplet --help"   # every option with its default
 * </pre>
 * Each training step draws a batch of P = 8 classes × K = 8 images ({@link PKSampler}), embeds it
 * with {@link EmbeddingNet} (D = 32), picks the triplets inside the batch ({@link TripletMining},
 * semi-hard by default, see there why) and takes an Adam step (lr 0.001) on their triplet loss (margin 0.2).
 * An epoch is {@code --examples} images (default 20,000, so 312 batches of 64) rather than a pass
 * over the data: P×K sampling has no natural end. The progress bar shows the trained loss and, as
 * "acc", the in-batch 1-NN accuracy; each epoch's line adds the loss over all triplets of the
 * batch ({@link TripletMining#allTripletsLoss}), which falls while the semi-hard loss stays near
 * margin / 2. After every epoch the test set is embedded and the verification accuracy printed;
 * at the end the example reports
 * <ul>
 *   <li>verification: "same class?" decided by a distance threshold, over 10,000 balanced test pairs;</li>
 *   <li>1-NN: each test image takes the class of its nearest training image in embedding space;</li>
 * </ul>
 * and writes the loss curve and a PCA scatter of the test embeddings to {@code charts/triplet/}.
 */
public final class TripletExample {
    private static final int VERIFICATION_PAIRS = 10_000;
    private static final int SCATTER_POINTS = 2_000;
    private static final int LOSS_WINDOW = 20;

    private TripletExample() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("triplet", "An embedding trained with triplet loss and online mining: "
                        + "verification, 1-NN, PCA.")
                .integer("epochs", 3, "epochs of --examples images each")
                .integer("examples", 20_000, "images per epoch (P x K sampling has no natural end)")
                .integer("dim", EmbeddingNet.DEFAULT_DIM, "embedding dimension")
                .number("margin", 0.2, "triplet loss margin")
                .integer("p", 8, "classes per batch")
                .integer("k", 8, "images per class in a batch")
                .number("lr", 0.001, "Adam learning rate")
                .choice("mining", "which triplets of a batch are trained (batch-hard collapses)", "semi-hard", "batch-hard")
                .fashionMnist().threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));   // open each chart in a window too, where a display exists
        int epochs = options.getInt("epochs");
        int examples = options.getInt("examples");
        int dim = options.getInt("dim");
        double margin = options.getDouble("margin");
        int p = options.getInt("p");
        int k = options.getInt("k");
        float lr = (float) options.getDouble("lr");
        String mining = options.choice("mining");
        TripletMining.Strategy strategy = mining.equals("semi-hard") ? TripletMining.Strategy.SEMI_HARD
                : TripletMining.Strategy.BATCH_HARD;
        if (epochs < 1 || examples < p * k) {
            throw new IllegalArgumentException("triplet: need --epochs at least 1 and --examples at least p·k = " + p * k
                    + ", got " + epochs + " and " + examples);
        }
        Threads.set(options.getInt("threads", Threads.get()));
        int seed = options.getInt("seed");
        Generator.manualSeed(seed);
        ImageData data = options.fashionMnist();
        System.out.println("Data: " + data);
        Tensor trainImages = data.train().inputs();
        Tensor testImages = data.test().inputs();
        int[] trainLabels = labels(data.train().targets());
        int[] testLabels = labels(data.test().targets());

        Sequential net = EmbeddingNet.create(dim);
        System.out.println("\nEmbeddingNet (D = " + dim + "):\n" + net);
        System.out.println("\n" + Summary.of(net, 1, 1, 28, 28));

        PKSampler sampler = new PKSampler(trainLabels, p, k, seed);
        TripletMining miner = new TripletMining(strategy, margin);
        Optimizer optimizer = Adam.builder(net.parameters()).lr(lr).build();
        int batches = examples / sampler.batchSize();
        System.out.printf("Training %d epochs of %d batches (P = %d classes × K = %d images), %s mining, margin %s,"
                + " Adam lr %s, %d thread(s)%n", epochs, batches, p, k, mining, margin, lr, Threads.get());
        System.out.println("(acc = the share of each batch whose nearest other image in the batch is of its class)");

        List<Float> losses = new ArrayList<>();
        List<Float> allTripletLosses = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            net.train();
            long start = System.nanoTime();
            ProgressBar bar = new ProgressBar(System.out, ProgressBar.onTerminal(),
                    "epoch " + epoch + "/" + epochs, batches);
            double lossSum = 0;
            double accuracySum = 0;
            double allTripletsSum = 0;
            for (int b = 1; b <= batches; b++) {
                int[] indices = sampler.next();
                int[] batchLabels = new int[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    batchLabels[i] = trainLabels[indices[i]];
                }
                Tensor embeddings = net.forward(trainImages.indexSelect(0, TripletMining.indexTensor(indices)));
                Tensor loss = miner.loss(embeddings, batchLabels);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                try (NoGrad ignored = NoGrad.enter()) {           // monitors, from the distances before the step
                    Tensor distances = TripletMining.pairwiseDistances(embeddings.detach());
                    accuracySum += TripletMining.nearestNeighbourAccuracy(distances, batchLabels);
                    double allTriplets = TripletMining.allTripletsLoss(distances, batchLabels, margin);
                    allTripletsSum += allTriplets;
                    allTripletLosses.add((float) allTriplets);
                }
                lossSum += loss.item();
                losses.add(loss.item());
                bar.update(b, lossSum / b, accuracySum / b, (long) b * indices.length);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Tensor testEmbeddings = embed(net, testImages);
            EmbeddingMetrics.Verification verification =
                    EmbeddingMetrics.verification(testEmbeddings, testLabels, VERIFICATION_PAIRS, seed);
            System.out.printf("epoch %d: loss %.4f, all-triplets loss %.4f, in-batch 1-NN acc %.3f,"
                    + " test verification %.3f at d ≤ %.3f (%.1f s training, %.0f images/s)%n", epoch,
                    lossSum / batches, allTripletsSum / batches, accuracySum / batches,
                    verification.accuracy(), verification.threshold(), seconds, batches * sampler.batchSize() / seconds);
        }

        Tensor testEmbeddings = embed(net, testImages);
        EmbeddingMetrics.Verification verification =
                EmbeddingMetrics.verification(testEmbeddings, testLabels, VERIFICATION_PAIRS, seed);
        System.out.printf("%nVerification on %,d test pairs (half same class): accuracy %.3f at threshold d ≤ %.3f%n",
                verification.pairs(), verification.accuracy(), verification.threshold());
        Tensor trainEmbeddings = embed(net, trainImages);
        double nearest = EmbeddingMetrics.nearestNeighbourAccuracy(testEmbeddings, testLabels, trainEmbeddings, trainLabels);
        System.out.printf("1-NN classification of the %,d test images against the %,d training embeddings: accuracy %.3f%n",
                testLabels.length, trainLabels.length, nearest);

        Map<String, float[][]> curves = new LinkedHashMap<>();
        curves.put(mining + " loss (trained)", smooth(losses, LOSS_WINDOW));
        curves.put("loss over all triplets of the batch", smooth(allTripletLosses, LOSS_WINDOW));
        Path lossChart = Charts.paths("Triplet loss (" + mining + " mining, margin " + margin + ")", "training step",
                "mean of " + LOSS_WINDOW + " steps", curves, Path.of("charts", "triplet", "triplet-loss.png"));
        Path scatter = scatter(testEmbeddings, testLabels, data.classes(), Path.of("charts", "triplet", "triplet-pca.png"));
        System.out.println("Charts: " + lossChart.toAbsolutePath() + "\n        " + scatter.toAbsolutePath());
    }

    /** The embeddings of {@code images} (N, 1, 28, 28) → (N, D), in eval mode without gradient, 500 at a time. */
    static Tensor embed(Module net, Tensor images) {
        boolean wasTraining = net.isTraining();
        net.eval();
        List<Tensor> parts = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < images.size(0); start += 500) {
                parts.add(net.forward(images.narrow(0, start, Math.min(500, images.size(0) - start))));
            }
        } finally {
            net.train(wasTraining);
        }
        return Tensor.cat(parts, 0);
    }

    /** Class indices stored as floats → int[]. */
    static int[] labels(Tensor targets) {
        float[] values = targets.contiguous().data();
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = Math.round(values[i]);
        }
        return labels;
    }

    /** Points (step, mean loss of the {@code window} steps ending there), one per window. */
    private static float[][] smooth(List<Float> values, int window) {
        float[][] points = new float[values.size() / window][];
        for (int w = 0; w < points.length; w++) {
            float sum = 0;
            for (int i = w * window; i < (w + 1) * window; i++) {
                sum += values.get(i);
            }
            points[w] = new float[] {(w + 1) * window, sum / window};
        }
        return points;
    }

    /** The first {@link #SCATTER_POINTS} test embeddings, projected on the 2 principal components of all of them. */
    private static Path scatter(Tensor embeddings, int[] labels, String[] classes, Path png) throws IOException {
        Pca pca = Pca.fit(embeddings, 2);
        int shown = Math.min(SCATTER_POINTS, labels.length);
        float[] xy = pca.project(embeddings.narrow(0, 0, shown)).contiguous().data();   // (shown, 2)
        Map<String, float[][]> groups = new LinkedHashMap<>();
        for (int c = 0; c < classes.length; c++) {
            int count = 0;
            for (int i = 0; i < shown; i++) {
                count += labels[i] == c ? 1 : 0;
            }
            float[][] points = new float[count][];
            int filled = 0;
            for (int i = 0; i < shown; i++) {
                if (labels[i] == c) {
                    points[filled++] = new float[] {xy[2 * i], xy[2 * i + 1]};
                }
            }
            groups.put(classes[c], points);
        }
        float[] variances = pca.variances();
        return Charts.scatter(String.format("Test embeddings (first %,d), PCA of D = %d", shown, embeddings.size(1)),
                String.format("PC 1 (variance %.3f)", variances[0]), String.format("PC 2 (variance %.3f)", variances[1]),
                groups, png);
    }
}
