package kindling.examples;

import java.util.HashMap;
import java.util.Map;

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
}
