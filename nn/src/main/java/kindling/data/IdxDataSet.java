package kindling.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import kindling.tensor.Tensor;

/**
 * Finds and loads an MNIST-style data set (four IDX files), looking in this order and using the
 * first place that has all four files:
 * <ol>
 *   <li>an explicit directory, when one is given;</li>
 *   <li>{@code $KINDLING_DATA/<name>};</li>
 *   <li>{@code ~/.kindling/datasets/<name>};</li>
 *   <li>{@code /usr/share/datasets/<name>} (Debian's {@code dataset-fashion-mnist} package puts
 *       Fashion-MNIST there);</li>
 *   <li>a download from the official source into {@code ~/.kindling/datasets/<name>}, each file
 *       checked against its published MD5 and moved into place only when complete (skipped with
 *       {@code -Dkindling.download=false});</li>
 *   <li>a subset bundled on the classpath under {@code /kindling/datasets/<name>-subset/}, if any
 *       (the examples module carries one for Fashion-MNIST).</li>
 * </ol>
 * Files may be gzipped or not ({@code train-images-idx3-ubyte.gz} or {@code train-images-idx3-ubyte}).
 */
final class IdxDataSet {
    static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /** The side of every MNIST-style image. */
    static final int SIDE = 28;

    private final String title;          // "Fashion-MNIST"
    private final String name;           // "fashion-mnist", the directory name
    private final String[] classes;
    private final String downloadBase;   // URL prefix of the .gz files
    private final String[] md5;          // of the four .gz files, in FILES order

    IdxDataSet(String title, String name, String[] classes, String downloadBase, String[] md5) {
        this.title = title;
        this.name = name;
        this.classes = classes;
        this.downloadBase = downloadBase;
        this.md5 = md5;
    }

    /** The data from {@code directory}, which must hold all four files. */
    ImageData load(Path directory, String how) throws IOException {
        Path[] files = new Path[4];
        for (int i = 0; i < 4; i++) {
            files[i] = find(directory, FILES[i]);
            if (files[i] == null) {
                throw new DataFileException(directory.resolve(FILES[i] + ".gz"), "no such file (nor without .gz)");
            }
        }
        TensorDataset train = pair(checkImages(files[0], Idx.readImages(files[0])),
                checkLabels(files[1], Idx.readLabels(files[1])), files[0], files[1]);
        TensorDataset test = pair(checkImages(files[2], Idx.readImages(files[2])),
                checkLabels(files[3], Idx.readLabels(files[3])), files[2], files[3]);
        return new ImageData(title, train, test, classes.clone(), directory + how);
    }

    /** Looks in every place in order; the message of the failure lists them all. */
    ImageData lookUp() throws IOException {
        return lookUp(System.getenv("KINDLING_DATA"), Path.of(System.getProperty("user.home"), ".kindling", "datasets"),
                Path.of("/usr/share/datasets"), !"false".equals(System.getProperty("kindling.download")));
    }

    /**
     * {@link #lookUp()} with its places given: {@code kindlingData} (the value of
     * {@code $KINDLING_DATA}, or null), the per-user and the system data folders, whether to download.
     * Each place that does not have the data adds why to the message of the failure, or to the
     * source of the bundled subset when that is what is returned.
     */
    ImageData lookUp(String kindlingData, Path userRoot, Path systemRoot, boolean download) throws IOException {
        List<String> tried = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        if (kindlingData == null || kindlingData.isBlank()) {
            tried.add("$KINDLING_DATA/" + name + " ($KINDLING_DATA is not set)");
        } else {
            directories.add(Path.of(kindlingData, name));
        }
        Path home = userRoot.resolve(name);
        directories.add(home);
        directories.add(systemRoot.resolve(name));
        for (Path directory : directories) {
            String missing = missing(directory);
            if (missing == null) {
                String how = directory.startsWith("/usr/share/datasets") ? " (Debian package dataset-" + name + ")" : "";
                return load(directory, how);
            }
            if (kindlingData != null && !kindlingData.isBlank() && directory.equals(Path.of(kindlingData, name))
                    && missing(Path.of(kindlingData)) == null) {
                missing += "; $KINDLING_DATA itself holds the files, but it names the folder above " + name + "/";
            }
            tried.add(directory + " (" + missing + ")");
        }
        if (download) {
            try {
                download(home);
                return load(home, " (downloaded from " + downloadBase + ")");
            } catch (IOException e) {
                tried.add("a download from " + downloadBase + " (" + e.getMessage() + ")");
            }
        } else {
            tried.add("a download (switched off by -Dkindling.download=false)");
        }
        ImageData bundled = loadBundled();
        if (bundled != null) {
            return new ImageData(bundled.name(), bundled.train(), bundled.test(), bundled.classes(),
                    bundled.source() + ", as the full " + title + " was not found: looked in " + String.join("; ", tried));
        }
        tried.add("classpath:/kindling/datasets/" + name + "-subset/ (not on the classpath)");
        throw new IOException(title + " not found. Looked in:\n  " + String.join("\n  ", tried)
                + "\nInstall it (Debian: apt-get install dataset-" + name + ") or put the four IDX files in " + home);
    }

    /** The bundled subset from the classpath, or null when there is none. */
    ImageData loadBundled() throws IOException {
        String folder = "/kindling/datasets/" + name + "-subset/";
        Tensor[] parts = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            try (InputStream in = IdxDataSet.class.getResourceAsStream(folder + FILES[i] + ".gz")) {
                if (in == null) {
                    return null;
                }
                Path label = Path.of("classpath:" + folder + FILES[i] + ".gz");
                byte[] content = in.readAllBytes();
                parts[i] = i % 2 == 0 ? checkImages(label, Idx.readImages(label, content))
                        : checkLabels(label, Idx.readLabels(label, content));
            }
        }
        Path folderPath = Path.of("classpath:" + folder);
        return new ImageData(title + " (bundled subset)", pair(parts[0], parts[1], folderPath, folderPath),
                pair(parts[2], parts[3], folderPath, folderPath), classes.clone(),
                "the subset bundled with the examples (classpath:" + folder + ")");
    }

    /**
     * The IDX reader takes any image size; an MNIST-style set has 28×28 images, and a file with
     * other sizes is another data set (or a damaged header) that would fail later in a model's
     * first layer with a message far from the cause.
     */
    private Tensor checkImages(Path file, Tensor images) throws DataFileException {
        int rows = images.size(2);
        int columns = images.size(3);
        if (rows != SIDE || columns != SIDE) {
            throw new DataFileException(file, "holds images of " + rows + "x" + columns + "; " + title
                    + " images are " + SIDE + "x" + SIDE);
        }
        return images;
    }

    /** Every label must name a class: a byte of 200 would otherwise surface only in the loss, as a bad target. */
    private Tensor checkLabels(Path file, Tensor labels) throws DataFileException {
        float[] values = labels.toArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= classes.length) {
                throw new DataFileException(file, "label " + i + " is " + (int) values[i] + "; " + title
                        + " has " + classes.length + " classes, 0.." + (classes.length - 1));
            }
        }
        return labels;
    }

    private static TensorDataset pair(Tensor images, Tensor labels, Path imagesFile, Path labelsFile)
            throws DataFileException {
        if (images.size(0) != labels.size(0)) {
            throw new DataFileException(labelsFile, labels.size(0) + " labels but " + imagesFile + " has "
                    + images.size(0) + " images");
        }
        return new TensorDataset(images, labels);
    }

    private static Path find(Path directory, String file) {
        for (Path candidate : new Path[] {directory.resolve(file + ".gz"), directory.resolve(file)}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Why {@code directory} does not hold the data set ("no such directory", the first missing file), or null. */
    private static String missing(Path directory) {
        if (!Files.isDirectory(directory)) {
            return "no such directory";
        }
        for (String file : FILES) {
            if (find(directory, file) == null) {
                return "no " + file + ".gz nor " + file;
            }
        }
        return null;
    }

    /** Downloads the four .gz files into {@code directory}, each checked and then renamed into place. */
    private void download(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (int i = 0; i < 4; i++) {
            Path target = directory.resolve(FILES[i] + ".gz");
            if (Files.isRegularFile(target)) {
                continue;
            }
            Path partial = Files.createTempFile(directory, "." + FILES[i], ".part");
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL(downloadBase + FILES[i] + ".gz").openConnection();
                connection.setConnectTimeout(5_000);
                connection.setReadTimeout(20_000);
                MessageDigest digest = MessageDigest.getInstance("MD5");
                try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(partial)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                    }
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(md5[i])) {
                    throw new IOException(FILES[i] + ".gz has MD5 " + actual + ", expected " + md5[i]);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has MD5", e);
            } catch (IOException e) {
                throw new IOException("could not download " + FILES[i] + ".gz (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + ")", e);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }
}
