package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.data.Batch;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.charts.Charts;
import kindling.examples.models.LeNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Flatten;
import kindling.nn.Linear;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.History;
import kindling.train.Trainer;

/**
 * Knowledge distillation (Hinton, Vinyals and Dean, 2015, "Distilling the Knowledge in a Neural
 * Network") on Fashion-MNIST: a small student network learns from a trained teacher's softened
 * probabilities instead of, or besides, the labels.
 * <pre>
 *   teacher        LeNet.modern(), trained on the labels as usual, then frozen in eval mode
 *   soft targets   q = softmax(teacher(x) / T)                      (N, 10), each row sums to 1
 *   student        x → Flatten → Linear(784, 32) → ReLU → Linear(32, 10)
 *   loss           α · T² · CE(student(x) / T, q)  +  (1 − α) · CE(student(x), y)
 * </pre>
 * The first term is {@link CrossEntropyLoss} with class-probability targets: the target q has the
 * logits' shape (N, 10) instead of one class index per image. At T = 1 the teacher is nearly sure
 * of most images and q is almost the one-hot label; a temperature T &gt; 1 flattens it, so the small
 * probabilities it gives the wrong classes (a shirt looks a little like a T-shirt and a coat, not at
 * all like a bag) become large enough to learn from: Hinton's "dark knowledge". The student's
 * logits are softened by the same T. The first term's gradient with respect to them is
 * (softmax(s/T) − q)/T, and for a large T the difference itself shrinks like 1/T, so the whole
 * shrinks like 1/T²; multiplying by T² keeps it on the scale of the second term whatever T is (the
 * paper's section 2). PyTorch's tutorial writes the first term out by hand as the KL divergence
 * KL(q ‖ p); the cross-entropy differs from it by the entropy of q, which does not depend on the
 * student, so the gradients are the same.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="distill"                          # bundled subset (time: docs/examples.md)
 *   mvn -q compile exec:java -Dexec.args="distill --temperature 4 --alpha 0.9"
 *   mvn -q compile exec:java -Dexec.args="distill --help"                   # every option with its default
 * </pre>
 * The teacher learns from every training image; the same student is then trained twice on the first
 * {@code --student-images} of them, from the same initial weights on the same batches: once on the
 * labels alone (α = 0), once distilled. The two test accuracies after each epoch go to
 * {@code charts/distill/students.png}.
 */
public final class DistillExample {
    private DistillExample() {
    }

    /** One student's run: its name, its training cross-entropy on the labels and test accuracy after each epoch. */
    record StudentRun(String name, List<Double> trainLoss, List<Double> testAccuracy) {
        double finalAccuracy() {
            return testAccuracy.get(testAccuracy.size() - 1);
        }
    }

    /** What the example found: the teacher's test accuracy and the two students' runs. */
    record Result(double teacherAccuracy, List<StudentRun> students) {
    }

    /** The recipe: epochs, temperature T, the weight α of the soft term, the student's width. */
    record Settings(int teacherEpochs, int studentImages, int epochs, int batchSize, double lr, double temperature,
                    double alpha, int hidden, int seed) {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("distill", "knowledge distillation on Fashion-MNIST: a small MLP learns "
                        + "from a LeNet teacher's softened probabilities")
                .integer("teacher-epochs", 5, "epochs of the teacher (LeNet, Adam) on the labels")
                .integer("student-images", 600, "the students learn from the first N training images, the teacher from all")
                .integer("epochs", 30, "epochs of each student")
                .integer("batch-size", 64, "images per optimizer step")
                .number("lr", 0.001, "Adam's learning rate, teacher and students")
                .number("temperature", 2.0, "T: the teacher's and the student's logits are divided by T")
                .number("alpha", 0.5, "weight of the soft-target term; 1 - alpha weighs the labels")
                .integer("hidden", 32, "hidden units of the student MLP")
                .text("data", "DIR", null, "read Fashion-MNIST's four IDX files from DIR").byDefault("the bundled subset")
                .threads().seed().show()
                .parse(args);
        Settings settings = new Settings(options.getInt("teacher-epochs"), options.getInt("student-images"),
                options.getInt("epochs"),
                options.getInt("batch-size"), options.getDouble("lr"), options.getDouble("temperature"),
                options.getDouble("alpha"), options.getInt("hidden"), options.getInt("seed"));
        Threads.set(options.getInt("threads", Threads.get()));
        Charts.showWindows(options.has("show"));
        // Distillation helps most when labelled data are few, so the 6,000-image subset is the default.
        ImageData data = options.has("data") ? options.fashionMnist() : FashionMnist.loadBundledSubset();
        run(data, settings, Path.of("charts", "distill"), System.out);
    }

    /** Trains the teacher, then the two students, prints what happens and writes the chart to {@code charts}. */
    static Result run(ImageData data, Settings s, Path charts, PrintStream out) throws IOException {
        if (!(s.temperature() > 0) || !(s.alpha() >= 0 && s.alpha() <= 1)) {
            throw new IllegalArgumentException("--temperature must be > 0 and --alpha in [0, 1], got "
                    + s.temperature() + " and " + s.alpha());
        }
        out.println("Data: " + data);
        DataLoader train = DataLoader.builder(data.train()).batchSize(s.batchSize()).shuffle(s.seed()).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(256).build();
        CrossEntropyLoss crossEntropy = new CrossEntropyLoss();

        // 1. The teacher: a LeNet trained on the labels, as in the lenet example (the Trainer runs that loop).
        Generator.manualSeed(s.seed());
        Sequential teacher = LeNet.modern();
        out.printf("%nTeacher: LeNet (modern), %,d parameters, %d epochs of Adam lr %s%n",
                teacher.numParameters(), s.teacherEpochs(), s.lr());
        Trainer teacherTrainer = Trainer.builder(teacher, crossEntropy, Adam.builder(teacher.parameters())
                .lr((float) s.lr()).build()).epochs(s.teacherEpochs()).validationName("test").output(out, false).build();
        History teacherHistory = teacherTrainer.fit(train, test);
        double teacherAccuracy = teacherHistory.last().validationAccuracy();
        teacher.eval();                                   // from now on a fixed function: BatchNorm's running statistics

        // 2. What the soft targets look like: the first training image, at T = 1 and at T.
        Tensor first = data.train().inputs().narrow(0, 0, 1);
        int label = (int) data.train().targets().toArray()[0];
        out.printf("%nThe teacher's probabilities for the first training image, labelled %s:%n", data.classes()[label]);
        out.print(probabilityTable(data.classes(), softTargets(teacher, first, 1).toArray(),
                softTargets(teacher, first, s.temperature()).toArray(), s.temperature()));

        // 3. The same student twice, from the same initial weights on the same batches: labels only, then
        // distilled. Both see only the first few training images: a label says one thing about an image,
        // the teacher's ten probabilities say much more (how much it looks like each other class).
        int studentImages = Math.min(s.studentImages(), data.train().size());
        TensorDataset few = new TensorDataset(data.train().inputs().narrow(0, 0, studentImages),
                data.train().targets().narrow(0, 0, studentImages));
        DataLoader studentTrain = DataLoader.builder(few).batchSize(s.batchSize()).shuffle(s.seed()).build();
        out.printf("%nThe students learn from the first %,d training images (the teacher learnt from %,d)%n",
                studentImages, data.train().size());
        List<StudentRun> students = new ArrayList<>();
        float temperature = (float) s.temperature();
        for (boolean distilled : new boolean[] {false, true}) {
            float alpha = distilled ? (float) s.alpha() : 0f;
            String name = distilled ? String.format("distilled (T = %s, α = %s)", s.temperature(), s.alpha())
                    : "labels only";
            Generator.manualSeed(s.seed() + 1);
            Sequential student = new Sequential(new Flatten(), new Linear(28 * 28, s.hidden()), new ReLU(),
                    new Linear(s.hidden(), 10));
            Adam optimizer = Adam.builder(student.parameters()).lr((float) s.lr()).build();
            out.printf("%nStudent, %s: %s, %,d parameters (the teacher has %,d)%n", name,
                    "MLP 784-" + s.hidden() + "-10", student.numParameters(), teacher.numParameters());
            List<Double> losses = new ArrayList<>();
            List<Double> accuracies = new ArrayList<>();
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                studentTrain.setEpoch(epoch - 1);         // the same shuffles for both students
                student.train();
                double lossSum = 0;
                long images = 0;
                for (Batch batch : studentTrain) {
                    Tensor logits = student.forward(batch.inputs());                          // (N, 10)
                    Tensor labelLoss = crossEntropy.forward(logits, batch.targets());       // labels: (N) class indices
                    Tensor loss = labelLoss;
                    if (distilled) {
                        Tensor q = softTargets(teacher, batch.inputs(), temperature);      // (N, 10) probabilities
                        Tensor soft = crossEntropy.forward(logits.div(temperature), q);    // a target of the logits' shape
                        loss = soft.mul(alpha * temperature * temperature).add(labelLoss.mul(1 - alpha));
                    }
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                    lossSum += labelLoss.item() * batch.size();      // the labels' term, comparable between students
                    images += batch.size();
                }
                double accuracy = Trainer.evaluate(student, crossEntropy, test).accuracy();
                losses.add(lossSum / images);
                accuracies.add(accuracy);
                out.printf("  epoch %d: cross-entropy on the labels %.4f, test acc %.4f%n", epoch, lossSum / images,
                        accuracy);
            }
            students.add(new StudentRun(name, losses, accuracies));
        }

        // 4. The comparison, and the two curves on one chart.
        out.printf("%nTest accuracy on %,d images: teacher %.4f", data.test().size(), teacherAccuracy);
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (StudentRun student : students) {
            out.printf(", student %s %.4f", student.name(), student.finalAccuracy());
            curves.put(student.name(), student.testAccuracy().stream().mapToDouble(Double::doubleValue).toArray());
        }
        out.println();
        Path chart = Charts.lines("The same student on labels and on a teacher's soft targets", "epoch",
                "test accuracy", curves, charts.resolve("students.png"));
        out.println("Chart: " + chart.toAbsolutePath());
        return new Result(teacherAccuracy, students);
    }

    /** The teacher's softened probabilities softmax(teacher(x) / T), (N, 10); no gradient flows into the teacher. */
    static Tensor softTargets(Sequential teacher, Tensor images, double temperature) {
        try (NoGrad ignored = NoGrad.enter()) {
            return teacher.forward(images).div((float) temperature).softmax(1);
        }
    }

    /** One line per class: its probability at T = 1 and at T, and a bar of the probability at T (40 # for 1). */
    static String probabilityTable(String[] classes, float[] atOne, float[] atT, double temperature) {
        StringBuilder table = new StringBuilder(String.format("  %-12s %8s %8s%n", "class", "T = 1", "T = " + temperature));
        for (int c = 0; c < classes.length; c++) {
            table.append(String.format("  %-12s %8.4f %8.4f  %s%n", classes[c], atOne[c], atT[c],
                    "#".repeat(Math.round(40 * atT[c]))));
        }
        return table.toString();
    }
}
