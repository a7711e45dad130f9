package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.kernels.Threads;

/**
 * An example's command line. The options are declared first, each with its default and one line
 * of help, and then read; so {@code --help} lists them, a value of the wrong type or a misspelt
 * option is an error before anything runs, and an option read but never declared is a bug that the
 * example's test finds at once.
 * <pre>
 *   Options options = Options.declare("lenet", "LeNet on Fashion-MNIST (d2l 6.6)")
 *           .choice("variant", "the network and recipe", "modern", "d2l")   // the first is the default
 *           .integer("epochs", 10, "passes over the training set")
 *           .number("lr", "learning rate").byDefault("0.9 for d2l, 0.001 for modern")
 *           .fashionMnist().threads().seed().show()
 *           .parse(args);
 *   int epochs = options.getInt("epochs");                  // the declared default unless given
 *   boolean book = options.choice("variant").equals("d2l");
 *   double lr = options.getDouble("lr", book ? 0.9 : 0.001); // no fixed default: the call gives it
 * </pre>
 * Options are written {@code --name value}, {@code --name=value} or, for flags, {@code --name}.
 * The examples module keeps this small parser rather than a command-line library: it is all a
 * student meets here, and each example's main stays one straight block.
 */
final class Options {
    /** What a declared option holds; a flag takes no value. */
    private enum Kind { INTEGER, NUMBER, TEXT, CHOICE, FLAG }

    /**
     * One declared option.
     *
     * @param value        the default as it would be written on the command line; null when the
     *                     example computes it (then {@code defaultText} says how)
     * @param defaultText  what {@code --help} shows as the default; null for flags
     */
    private record Option(String name, Kind kind, String metavar, String description, String value,
                          String defaultText, List<String> allowed) {
    }

    /** {@code --help} was given: the example should print {@code text} and stop, successfully. */
    static final class HelpRequested extends RuntimeException {
        private final String text;

        HelpRequested(String text) {
            super("--help", null, false, false);
            this.text = text;
        }

        String text() {
            return text;
        }
    }

    /**
     * Set while the launcher runs an example: then {@link Declaration#parse} throws (the launcher
     * prints and returns the status) instead of printing and ending the JVM, as it does for a main
     * started on its own.
     */
    static volatile boolean insideLauncher;

    private final String command;
    private final Map<String, Option> declared;
    private final Map<String, String> given;

    private Options(String command, Map<String, Option> declared, Map<String, String> given) {
        this.command = command;
        this.declared = declared;
        this.given = given;
    }

    /** Starts the declaration of example {@code command}'s options; {@code summary} heads its help. */
    static Declaration declare(String command, String summary) {
        return new Declaration(command, summary);
    }

    /** The options an example takes, in the order {@code --help} lists them. */
    static final class Declaration {
        private final String command;
        private final String summary;
        private final Map<String, Option> options = new LinkedHashMap<>();
        private Option last;

        private Declaration(String command, String summary) {
            this.command = command;
            this.summary = summary;
        }

        /** A whole-number option {@code --name N} with a fixed default. */
        Declaration integer(String name, int value, String description) {
            return add(new Option(name, Kind.INTEGER, "N", description, Integer.toString(value), Integer.toString(value), null));
        }

        /** A whole-number option whose default the example computes; say how with {@link #byDefault}. */
        Declaration integer(String name, String description) {
            return add(new Option(name, Kind.INTEGER, "N", description, null, "set by the example", null));
        }

        /** A decimal option {@code --name X} with a fixed default. */
        Declaration number(String name, double value, String description) {
            return add(new Option(name, Kind.NUMBER, "X", description, Double.toString(value), Double.toString(value), null));
        }

        /** A decimal option whose default the example computes; say how with {@link #byDefault}. */
        Declaration number(String name, String description) {
            return add(new Option(name, Kind.NUMBER, "X", description, null, "set by the example", null));
        }

        /** A text option {@code --name METAVAR}; {@code value} is its default, or null for none. */
        Declaration text(String name, String metavar, String value, String description) {
            return add(new Option(name, Kind.TEXT, metavar, description, value, value == null ? "none" : value, null));
        }

        /** An option that takes one of {@code allowed}; the first is the default. */
        Declaration choice(String name, String description, String... allowed) {
            return add(new Option(name, Kind.CHOICE, String.join("|", allowed), description, allowed[0], allowed[0],
                    List.of(allowed)));
        }

        /** A flag {@code --name}: off unless given. */
        Declaration flag(String name, String description) {
            return add(new Option(name, Kind.FLAG, null, description, null, null, null));
        }

        /** What {@code --help} shows as the last declared option's default, for one the example computes. */
        Declaration byDefault(String text) {
            if (last == null || last.kind() == Kind.FLAG) {
                throw new IllegalStateException("byDefault follows the option it describes, not a flag");
            }
            last = new Option(last.name(), last.kind(), last.metavar(), last.description(), last.value(), text,
                    last.allowed());
            options.put(last.name(), last);
            return this;
        }

        /** {@code --subset} and {@code --data DIR}, which {@link Options#fashionMnist()} reads. */
        Declaration fashionMnist() {
            flag("subset", "use the 6,000/1,000-image subset of Fashion-MNIST bundled with the examples");
            return text("data", "DIR", null, "read Fashion-MNIST's four IDX files from DIR")
                    .byDefault("the first place FashionMnist.load() finds it");
        }

        /** {@code --threads N}: the kernels' worker threads. */
        Declaration threads() {
            return integer("threads", "worker threads for the kernels").byDefault(Threads.get() + ", this machine's cores");
        }

        /** {@code --seed N}: the seed of the random initialisation and sampling. */
        Declaration seed() {
            return integer("seed", 0, "random seed (initialisation, shuffling)");
        }

        /** {@code --show}: open each chart in a window too. */
        Declaration show() {
            return flag("show", "also open each chart in a window, where a display exists");
        }

        private Declaration add(Option option) {
            if (option.name().equals("help") || options.containsKey(option.name())) {
                throw new IllegalStateException("option --" + option.name() + " is declared twice");
            }
            options.put(option.name(), option);
            last = option;
            return this;
        }

        /**
         * Reads {@code args} against the declaration. On {@code --help} it prints the help and, run
         * as a main of its own, ends the program; a mistake ends it with status 2 and one line
         * naming it. Inside the launcher both are thrown for it to print.
         */
        Options parse(String[] args) {
            try {
                return read(args);
            } catch (HelpRequested help) {
                if (insideLauncher) {
                    throw help;
                }
                System.out.print(help.text());
                System.exit(0);
            } catch (IllegalArgumentException mistake) {
                if (insideLauncher) {
                    throw mistake;
                }
                System.err.println(command + ": " + mistake.getMessage());
                System.exit(2);
            }
            throw new AssertionError("unreachable");
        }

        /** {@link #parse} without ending the program: throws {@link HelpRequested} or IllegalArgumentException. */
        Options read(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    throw new HelpRequested(help());
                }
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("expected an option like --epochs 5, got \"" + arg
                            + "\" (--help lists the options)");
                }
                int equals = arg.indexOf('=');
                String name = arg.substring(2, equals < 0 ? arg.length() : equals);
                Option option = options.get(name);
                if (option == null) {
                    throw new IllegalArgumentException("unknown option --" + name + closest(name)
                            + " (--help lists the options)");
                }
                if (given.containsKey(name)) {
                    throw new IllegalArgumentException("--" + name + " is given twice");
                }
                String value;
                if (option.kind() == Kind.FLAG) {
                    if (equals >= 0) {
                        throw new IllegalArgumentException("--" + name + " is a flag and takes no value");
                    }
                    value = "true";
                } else if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value: --" + name + " " + option.metavar());
                }
                check(option, value);
                given.put(name, value);
            }
            return new Options(command, Map.copyOf(options), given);
        }

        /** The text {@code --help} prints: usage, summary, one line per option with its default. */
        String help() {
            List<String[]> rows = new ArrayList<>();
            for (Option option : options.values()) {
                String left = "--" + option.name() + (option.metavar() == null ? "" : " " + option.metavar());
                String right = option.description() + (option.defaultText() == null ? "" : " (default: " + option.defaultText() + ")");
                rows.add(new String[] {left, right});
            }
            rows.add(new String[] {"--help", "print this help and stop"});
            int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
            StringBuilder text = new StringBuilder("Usage: " + command + " [options]\n" + summary + "\nOptions:\n");
            for (String[] row : rows) {
                text.append(String.format("  %-" + width + "s  %s%n", row[0], row[1]));
            }
            return text.toString();
        }

        /** "; did you mean --epochs?" for the declared option nearest to {@code name} in edit distance. */
        private String closest(String name) {
            String best = "help";
            int bestDistance = editDistance(name, best);
            for (String candidate : options.keySet()) {
                int distance = editDistance(name, candidate);
                if (distance < bestDistance) {
                    best = candidate;
                    bestDistance = distance;
                }
            }
            return "; did you mean --" + best + "?";
        }
    }

    private static void check(Option option, String value) {
        switch (option.kind()) {
            case INTEGER -> {
                try {
                    Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + option.name() + " must be a whole number, got \"" + value + "\"");
                }
            }
            case NUMBER -> {
                try {
                    Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + option.name() + " must be a number, got \"" + value + "\"");
                }
            }
            case CHOICE -> {
                if (!option.allowed().contains(value)) {
                    throw new IllegalArgumentException("--" + option.name() + " must be one of "
                            + String.join(", ", option.allowed()) + ", got \"" + value + "\"");
                }
            }
            default -> {
            }
        }
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions turning {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Whether {@code --name} was given (for a flag: whether it is on). */
    boolean has(String name) {
        option(name);
        return given.containsKey(name);
    }

    /** The value of text or choice option {@code --name}, else its declared default (null if none). */
    String get(String name) {
        Option option = option(name, Kind.TEXT, Kind.CHOICE);
        return given.getOrDefault(name, option.value());
    }

    /** The value of text option {@code --name}, else {@code fallback} (see {@link #getInt(String, int)}). */
    String get(String name, String fallback) {
        return given.getOrDefault(name, fallback(option(name, Kind.TEXT, Kind.CHOICE), fallback));
    }

    /** The value of {@code --name} or its declared default. */
    int getInt(String name) {
        return Integer.parseInt(valueOrDefault(option(name, Kind.INTEGER)));
    }

    /**
     * The value of {@code --name}, else {@code fallback}: for an option whose default the example
     * computes. An option declared with a fixed default may be read this way only with that default.
     */
    int getInt(String name, int fallback) {
        Option option = option(name, Kind.INTEGER);
        return Integer.parseInt(given.getOrDefault(name, fallback(option, Integer.toString(fallback))));
    }

    /** The value of {@code --name} or its declared default. */
    double getDouble(String name) {
        return Double.parseDouble(valueOrDefault(option(name, Kind.NUMBER)));
    }

    /** As {@link #getInt(String, int)}, for a decimal option. */
    double getDouble(String name, double fallback) {
        Option option = option(name, Kind.NUMBER);
        if (given.containsKey(name)) {
            return Double.parseDouble(given.get(name));
        }
        if (option.value() != null && Double.parseDouble(option.value()) != fallback) {
            throw disagreement(option, Double.toString(fallback));
        }
        return fallback;
    }

    /**
     * The value of choice option {@code --name}, else its default (the first allowed). {@code allowed},
     * if given, must be the declared list: an example may repeat it where it reads the option.
     */
    String choice(String name, String... allowed) {
        Option option = option(name, Kind.CHOICE);
        if (allowed.length > 0 && !option.allowed().equals(List.of(allowed))) {
            throw new IllegalStateException(command + ": --" + name + " is declared with " + option.allowed()
                    + " but read with " + List.of(allowed));
        }
        return get(name);
    }

    /**
     * Fashion-MNIST as the command line asks: {@code --subset} for the subset bundled with the
     * examples, {@code --data DIR} for a directory, otherwise the first place that has it (see
     * {@link FashionMnist#load()}). Declare both with {@link Declaration#fashionMnist()}.
     */
    ImageData fashionMnist() throws IOException {
        if (has("subset")) {
            return FashionMnist.loadBundledSubset();
        }
        return has("data") ? FashionMnist.load(Path.of(get("data"))) : FashionMnist.load();
    }

    private String valueOrDefault(Option option) {
        String value = given.getOrDefault(option.name(), option.value());
        if (value == null) {
            throw new IllegalStateException(command + ": --" + option.name() + " has no fixed default; read it with "
                    + "a fallback, e.g. getInt(\"" + option.name() + "\", ...)");
        }
        return value;
    }

    private String fallback(Option option, String fallback) {
        if (option.value() != null && !option.value().equals(fallback)) {
            throw disagreement(option, fallback);
        }
        return fallback;
    }

    private IllegalStateException disagreement(Option option, String fallback) {
        return new IllegalStateException(command + ": --" + option.name() + " is declared with default "
                + option.value() + " but read with fallback " + fallback + "; read it without one");
    }

    private Option option(String name, Kind... kinds) {
        Option option = declared.get(name);
        if (option == null) {
            throw new IllegalStateException(command + ": option --" + name + " is read but not declared; "
                    + "add it to the Options.declare(...) chain");
        }
        if (kinds.length > 0 && !List.of(kinds).contains(option.kind())) {
            throw new IllegalStateException(command + ": --" + name + " is declared as " + option.kind()
                    + ", not read as " + List.of(kinds));
        }
        return option;
    }
}
