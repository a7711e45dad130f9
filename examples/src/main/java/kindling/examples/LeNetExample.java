package kindling.examples;

import java.io.IOException;
import kindling.data.Batch;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.models.LeNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.History;
import kindling.train.ProgressBar;
import kindling.train.Trainer;

/**
 * LeNet on Fashion-MNIST, d2l's chapter 6.6: prints the network, its shape trace and summary, trains
 * it with the training loop written out (zeroGrad, forward, loss, backward, step) and reports the
 * test accuracy after each epoch, then writes the training curves, the test set's confusion matrix
 * and its first misclassified images to {@code charts/lenet/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="lenet"                       # the modern variant (default)
 *   mvn -q compile exec:java -Dexec.args="lenet --variant d2l --epochs 10"
 *   mvn -q compile exec:java -Dexec.args="lenet --help"                # every option with its default
 * </pre>
 * {@code d2l} is the book's network and recipe: sigmoid, average pooling, Xavier init, SGD with
 * lr 0.9, batch 256, 10 epochs. {@code modern} adds batch normalisation, uses ReLU and max pooling,
 * and trains with Adam (lr 0.001), which learns far faster — the default, so the first run shows a
 * network that learns within a minute even on the bundled 6,000-image subset.
 * The data comes from the first place that has Fashion-MNIST (see {@link FashionMnist}); {@code --subset}
 * uses the subset bundled with the examples. {@code --show} opens the charts in windows where a
 * display exists.
 * <p>The loop here is the one {@link Trainer} runs; the other image examples (AlexNet, VGG, ResNet)
 * call the Trainer instead, which adds checkpoints and learning-rate schedules.
 */
public final class LeNetExample {
    private LeNetExample() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("lenet", "LeNet on Fashion-MNIST (d2l 6.6): shape trace, summary, "
                        + "the training loop, charts.")
                .choice("variant", "modern: BatchNorm, ReLU, max pooling, Adam; d2l: the book's network and recipe",
                        "modern", "d2l")
                .integer("epochs", 10, "passes over the training set")
                .integer("batch-size", 256, "images per optimizer step")
                .number("lr", "learning rate").byDefault("0.001 for modern (Adam), 0.9 for d2l (SGD)")
                .fashionMnist().threads().seed().show()
                .parse(args);
        String variant = options.choice("variant");
        boolean book = variant.equals("d2l");
        int epochs = options.getInt("epochs");
        int batchSize = options.getInt("batch-size");
        float lr = (float) options.getDouble("lr", book ? 0.9 : 0.001);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed"));
        Charts.showWindows(options.has("show"));

        // The data: 28×28 grey images of ten kinds of clothing, in batches; the training set reshuffled each epoch.
        ImageData data = options.fashionMnist();
        System.out.println("Data: " + data);
        DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).build();

        // The model, with d2l's shape trace and the summary (parameters, multiply-adds).
        Sequential net = book ? LeNet.d2l() : LeNet.modern();
        String title = "LeNet (" + variant + ")";
        ClassifierRun.describe(title, net, 28);

        // The loss and the optimizer.
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                : Adam.builder(net.parameters()).lr(lr).build();

        // The training loop, as d2l's train_ch6: an epoch is one pass over the training batches, then
        // the loss and accuracy on the test set.
        System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                book ? "SGD" : "Adam", lr, Threads.get());
        History history = new History();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            String label = "epoch " + epoch + "/" + epochs;
            ProgressBar bar = new ProgressBar(System.out, ProgressBar.onTerminal(), label, train.numBatches());
            train.setEpoch(epoch - 1);                 // each epoch its own shuffle, the same on every run
            net.train();                               // training mode: BatchNorm normalises with the batch's statistics
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long images = 0;
            int done = 0;
            for (Batch batch : train) {
                optimizer.zeroGrad();                                       // clear the last step's gradients
                Tensor logits = net.forward(batch.inputs());                // (N, 10) class scores
                Tensor batchLoss = loss.forward(logits, batch.targets());   // the mean cross-entropy, a scalar
                batchLoss.backward();                                       // d loss / d every parameter
                optimizer.step();                                           // move each parameter against its gradient

                lossSum += batchLoss.item() * batch.size();
                correct += Trainer.countCorrect(logits, batch.targets());
                images += batch.size();
                bar.update(++done, lossSum / images, (double) correct / images, images);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Trainer.Evaluation onTest = Trainer.evaluate(net, loss, test);  // eval mode, no gradients
            history.add(new History.Epoch(epoch, lossSum / images, (double) correct / images,
                    onTest.loss(), onTest.accuracy(), seconds, images / seconds));
            System.out.printf("%s: train loss %.4f, train acc %.4f, test loss %.4f, test acc %.4f, %.1f s%n",
                    label, lossSum / images, (double) correct / images, onTest.loss(), onTest.accuracy(), seconds);
        }
        // The next step: the Trainer runs this same loop and adds checkpoints and learning-rate schedules:
        //   Trainer trainer = Trainer.builder(net, loss, optimizer).epochs(epochs).validationName("test").build();
        //   History history = trainer.fit(train, test);

        // Evaluation and charts: the curves, the test confusion matrix, the misclassified test images.
        ClassifierRun.reportTraining("lenet", variant, title, history, data);
        ClassifierRun.reportTest("lenet", variant, title, net, test, data);
    }
}
