package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kindling.data.FashionMnist;
import kindling.data.ImageData;

/** The examples' command line: {@code --name value} pairs and bare {@code --flag}s. */
final class Options {
    private final Map<String, String> values = new HashMap<>();

    private Options() {
    }

    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option like --epochs 5, got \"" + args[i] + "\"");
            }
            String name = args[i].substring(2);
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.values.put(name, hasValue ? args[++i] : "true");
        }
        return options;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int getInt(String name, int fallback) {
        String value = values.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got \"" + value + "\"");
        }
    }

    double getDouble(String name, double fallback) {
        String value = values.get(name);
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got \"" + value + "\"");
        }
    }

    /** The value of {@code --name}, which must be one of {@code allowed}; the first is the default. */
    String choice(String name, String... allowed) {
        String value = get(name, allowed[0]);
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException("--" + name + " must be one of " + String.join(", ", allowed)
                    + ", got \"" + value + "\"");
        }
        return value;
    }

    /**
     * Fashion-MNIST as the command line asks: {@code --subset} for the subset bundled with the
     * examples, {@code --data DIR} for a directory, otherwise the first place that has it (see
     * {@link FashionMnist#load()}).
     */
    ImageData fashionMnist() throws IOException {
        if (has("subset")) {
            return FashionMnist.loadBundledSubset();
        }
        return has("data") ? FashionMnist.load(Path.of(get("data", ""))) : FashionMnist.load();
    }
}
