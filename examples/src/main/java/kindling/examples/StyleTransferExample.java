package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.Vgg;
import kindling.examples.models.Vgg19;
import kindling.examples.style.StyleLosses;
import kindling.io.SafeTensors;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.FeatureExtractor;
import kindling.nn.LoadResult;
import kindling.nn.Module;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Neural style transfer (Gatys, Ecker and Bethge, 2016): gradient descent on the pixels of an image
 * so that a trained CNN sees in it the content of one image (its feature maps at one layer) and the
 * style of another (the Gram matrices of its feature maps at several layers). The network's weights
 * stay fixed; the only parameter the optimizer updates is the image. See {@link StyleLosses}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="style"                                   # offline, small VGG
 *   mvn -q compile exec:java -Dexec.args="style --weights vgg19.safetensors"       # torchvision's VGG-19
 *   options: --weights FILE  --steps N  --lr X  --size N  --image N  --style stripes|checks|rings
 *            --content-weight X  --style-weight X  --threads N  --seed N
 * </pre>
 * Two networks:
 * <ul>
 *   <li>{@code --weights FILE}: torchvision's ImageNet VGG-19 ({@link Vgg19}), converted to safetensors
 *       by a few lines of Python (docs/style-transfer.md). RGB images of {@code --size} pixels (96);
 *       content at relu4_2 ({@code features.22}), style at relu1_1 ... relu5_1 (1, 6, 11, 20, 29).</li>
 *   <li>otherwise the CPU-sized VGG-11 of the {@code vgg} example ({@link Vgg#small()}), grey 32×32 images,
 *       with the weights that example saved in {@code checkpoints/vgg/vgg-small.safetensors}; if there are
 *       none, it trains one itself for one epoch on the bundled Fashion-MNIST subset (about a minute).</li>
 * </ul>
 * The images ship with the repository or are drawn here: the content is a Fashion-MNIST test image,
 * the style a generated pattern. Writes the content, style and result images and the losses over
 * the steps to {@code charts/style/}.
 */
public final class StyleTransferExample {
    private StyleTransferExample() {
    }

    /** A network ready for style transfer: where to read the content and the style, and how to feed it an image. */
    record Network(String name, Module model, String contentLayer, List<String> styleLayers, int side, boolean rgb) {
        /** The image as the network expects it: ImageNet-normalised RGB for VGG-19, the raw grey image otherwise. */
        Tensor prepare(Tensor image) {
            if (!rgb) {
                return image;
            }
            Tensor mean = Tensor.wrap(Vgg19.MEAN.clone(), 1, 3, 1, 1);
            Tensor std = Tensor.wrap(Vgg19.STD.clone(), 1, 3, 1, 1);
            return image.sub(mean).div(std);
        }
    }

    /** The losses after one step. */
    record Step(double content, double style, double total) {
    }

    /** The optimised image and the losses of every step. */
    record Result(Tensor image, List<Step> history) {
    }

    public static void main(String[] args) {
        Options options = Options.declare("style", "neural style transfer: content and Gram-matrix style losses on a CNN's "
                        + "features, Adam on the pixels")
                .text("weights", "FILE", null, "torchvision's VGG-19 as safetensors").byDefault("the vgg example's small VGG")
                .integer("size", 96, "image side with VGG-19")
                .integer("image", 0, "index of the Fashion-MNIST test image used as content")
                .choice("style", "the drawn style pattern", "stripes", "checks", "rings")
                .integer("steps", "Adam steps on the pixels").byDefault("300, 150 with --weights")
                .number("lr", 0.01, "Adam's learning rate on the pixels")
                .number("content-weight", 1, "weight of the content loss")
                .number("style-weight", 1e4, "weight of the style loss")
                .threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        try {
            ImageData data = FashionMnist.loadBundledSubset();
            Network network = options.has("weights")
                    ? vgg19(Path.of(options.get("weights", "")), options.getInt("size", 96))
                    : smallVgg(Path.of("checkpoints", "vgg", "vgg-small.safetensors"), data);
            System.out.println("Network: " + network.name());
            System.out.println("Content layer " + network.contentLayer() + ", style layers " + network.styleLayers());

            // ---- the two images: a Fashion-MNIST garment and a drawn pattern ----
            int index = options.getInt("image", 0);
            Tensor content = contentImage(data, index, network.side(), network.rgb());
            Tensor style = pattern(options.choice("style", "stripes", "checks", "rings"), network.side(),
                    network.rgb());

            int steps = options.getInt("steps", network.rgb() ? 150 : 300);
            double contentWeight = options.getDouble("content-weight", 1);
            double styleWeight = options.getDouble("style-weight", 1e4);
            Result result = transfer(network, content, style, steps, options.getDouble("lr", 0.01), contentWeight,
                    styleWeight);
            List<Step> history = result.history();
            Path folder = Path.of("charts", "style");
            Path images = Charts.images("Style transfer", Tensor.cat(0, content, style, result.image()),
                    new String[] {"content", "style", "result"}, 3, network.rgb() ? 2 : 4, folder.resolve("images.png"));
            Map<String, double[]> curves = new LinkedHashMap<>();
            // The weighted terms, whose sum is minimised: the raw style loss is 10⁴ times smaller.
            curves.put("α · content", history.stream().mapToDouble(h -> contentWeight * h.content()).toArray());
            curves.put("β · style", history.stream().mapToDouble(h -> styleWeight * h.style()).toArray());
            curves.put("total", history.stream().mapToDouble(Step::total).toArray());
            Path losses = Charts.lines("Style transfer: weighted losses", "step", "loss",
                    curves, folder.resolve("losses.png"));
            System.out.println("Images: " + images.toAbsolutePath() + "\nLosses: " + losses.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Optimises an image, starting from {@code content}, with Adam: each step extracts the features of
     * the image, computes contentWeight·content + styleWeight·style, back-propagates to the pixels,
     * steps, and clamps the pixels into [0, 1].
     */
    static Result transfer(Network network, Tensor content, Tensor style, int steps, double lr,
            double contentWeight, double styleWeight) {
        List<String> layers = new ArrayList<>(network.styleLayers());
        if (!layers.contains(network.contentLayer())) {
            layers.add(network.contentLayer());
        }
        FeatureExtractor extractor = new FeatureExtractor(network.model(), layers);
        // The targets: the content image's features at one layer, the style image's Gram matrices at several.
        Tensor contentTarget;
        Map<String, Tensor> styleGrams = new LinkedHashMap<>();
        try (NoGrad scope = NoGrad.enter()) {
            contentTarget = extractor.forward(network.prepare(content)).get(network.contentLayer());
            Map<String, Tensor> styleFeatures = extractor.forward(network.prepare(style));
            for (String layer : network.styleLayers()) {
                styleGrams.put(layer, StyleLosses.gram(styleFeatures.get(layer)));
            }
        }

        Tensor image = Tensor.wrap(content.toArray(), content.shape()).requiresGrad_();   // the only parameter
        Adam optimizer = Adam.builder(List.of(image)).lr(lr).build();
        List<Step> history = new ArrayList<>();
        for (int step = 1; step <= steps; step++) {
            optimizer.zeroGrad();
            Map<String, Tensor> features = extractor.forward(network.prepare(image));
            Tensor contentLoss = StyleLosses.contentLoss(features.get(network.contentLayer()), contentTarget);
            Tensor styleLoss = StyleLosses.styleLoss(features, styleGrams, network.styleLayers());
            Tensor loss = contentLoss.mul((float) contentWeight).add(styleLoss.mul((float) styleWeight));
            loss.backward();
            optimizer.step();
            try (NoGrad scope = NoGrad.enter()) {
                image.copy_(image.clamp(0f, 1f));                         // keep a valid image
            }
            history.add(new Step(contentLoss.item(), styleLoss.item(), loss.item()));
            if (step == 1 || step % 25 == 0 || step == steps) {
                System.out.printf("step %4d: content %.4f  style %.6f  total %.4f%n", step, contentLoss.item(),
                        styleLoss.item(), loss.item());
            }
        }
        return new Result(image.detach(), history);
    }

    /** torchvision's VGG-19 features with the weights in {@code file} (PyTorch's state-dict names). */
    static Network vgg19(Path file, int side) throws IOException {
        Sequential model = Vgg19.withFeatures();
        // Non-strict: a file with the whole vgg19 state dict also holds classifier.*, which is not needed here.
        LoadResult loaded = model.loadStateDict(SafeTensors.load(file), false);
        if (!loaded.missingKeys().isEmpty()) {
            throw new IllegalArgumentException(file + " is not torchvision's VGG-19: it lacks " + loaded.missingKeys());
        }
        if (!loaded.unexpectedKeys().isEmpty()) {
            System.out.println("Ignored " + loaded.unexpectedKeys().size() + " keys not in features (e.g. "
                    + loaded.unexpectedKeys().get(0) + ")");
        }
        freeze(model);
        return new Network("VGG-19 (ImageNet weights from " + file.getFileName() + ")", model, "features.22",
                List.of("features.1", "features.6", "features.11", "features.20", "features.29"), side, true);
    }

    /**
     * The {@code vgg} example's CPU-sized VGG-11 with its saved weights, or, without them, one trained
     * here for two epochs on the bundled subset and saved to {@code checkpoints/style/} for the next
     * run. Content at the second ReLU of block 2; style at the first ReLU of blocks 0 to 3.
     */
    static Network smallVgg(Path weights, ImageData data) throws IOException {
        Sequential model = Vgg.small();
        Path brief = Path.of("checkpoints", "style", "vgg-small-brief.safetensors");
        String source;
        if (Files.isRegularFile(weights)) {
            model.load(weights);
            source = "the vgg example's weights";
        } else if (Files.isRegularFile(brief)) {
            model.load(brief);
            source = "trained briefly by an earlier run";
        } else {
            System.out.println("No " + weights + " (run the vgg example to make it); training a VGG for two epochs");
            trainBriefly(model, data, 2);
            Files.createDirectories(brief.getParent());
            model.save(brief);
            source = "trained briefly here, saved to " + brief;
        }
        freeze(model);
        return new Network("CPU-sized VGG-11, " + source, model, "2.3", List.of("0.1", "1.1", "2.1", "3.1"),
                Vgg.SMALL_INPUT, false);
    }

    /** A frozen network in eval mode: no gradients for its weights, Dropout off. */
    private static void freeze(Module model) {
        model.requiresGrad_(false);
        model.eval();
    }

    /** Trains {@code model} on the bundled subset for {@code epochs} (Adam, lr 0.001, batch 64), resized to 32×32. */
    static void trainBriefly(Module model, ImageData data, int epochs) {
        DataLoader loader = DataLoader.builder(data.train()).batchSize(64).shuffle(0)
                .transform(new Resize(Vgg.SMALL_INPUT, Vgg.SMALL_INPUT)).build();
        Adam optimizer = Adam.builder(model.parameters()).lr(0.001).build();
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        model.train();
        for (int epoch = 0; epoch < epochs; epoch++) {
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
            System.out.printf("VGG training epoch %d: loss %.3f%n", epoch + 1, sum / count);
        }
    }

    /** Test image {@code index} of the bundled subset, resized to side×side, as (1, 1, H, W) or grey RGB (1, 3, H, W). */
    static Tensor contentImage(ImageData data, int index, int side, boolean rgb) {
        Tensor image = new Resize(side, side).apply(data.test().inputs().select(0, index));
        Tensor batch = image.reshape(1, 1, side, side);
        return rgb ? Tensor.cat(1, batch, batch, batch) : batch;
    }

    /**
     * A drawn style image in [0, 1]: diagonal stripes, a checkerboard or concentric rings, with a few
     * pixels per period so that the small network's early layers see them; in colour for RGB.
     */
    static Tensor pattern(String kind, int side, boolean rgb) {
        int channels = rgb ? 3 : 1;
        float[] pixels = new float[channels * side * side];
        double period = Math.max(4, side / 6.0);
        for (int c = 0; c < channels; c++) {
            double phase = c * 2 * Math.PI / 3;                          // each colour channel shifted by a third
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double v = switch (kind) {
                        case "stripes" -> Math.sin(2 * Math.PI * (x + y) / period + phase);
                        case "checks" -> Math.signum(Math.sin(2 * Math.PI * x / period)
                                * Math.sin(2 * Math.PI * y / period + phase)) * 0.9;
                        default -> Math.cos(2 * Math.PI * Math.hypot(x - side / 2.0, y - side / 2.0) / period + phase);
                    };
                    pixels[(c * side + y) * side + x] = (float) (0.5 + 0.5 * v);
                }
            }
        }
        return Tensor.wrap(pixels, 1, channels, side, side);
    }
}
