package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static Options.Declaration lenetLike() {
        return Options.declare("demo", "A demo.")
                .choice("variant", "which network", "modern", "d2l")
                .integer("epochs", 10, "passes over the training set")
                .integer("batch-size", 256, "images per step")
                .number("lr", "learning rate").byDefault("0.001 for modern, 0.9 for d2l")
                .text("name", "NAME", null, "a name")
                .show();
    }

    private static String usageError(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> lenetLike().read(args)).getMessage();
    }

    @Test
    void readsValuesAndFallsBackToTheDeclaredDefaults() {
        Options options = lenetLike().read(new String[] {"--epochs", "3", "--lr=0.5", "--show", "--variant", "d2l"});
        assertEquals(3, options.getInt("epochs"));
        assertEquals(256, options.getInt("batch-size"));
        assertEquals(256, options.getInt("batch-size", 256));
        assertEquals(0.5, options.getDouble("lr", 0.9));
        assertEquals("d2l", options.choice("variant"));
        assertEquals("d2l", options.choice("variant", "modern", "d2l"));
        assertTrue(options.has("show"));
        assertFalse(options.has("name"));
        assertEquals(null, options.get("name"));
        Options none = lenetLike().read(new String[0]);
        assertEquals("modern", none.choice("variant"));
        assertEquals(0.001, none.getDouble("lr", 0.001));
        assertFalse(none.has("show"));
    }

    @Test
    void aMisspeltOptionNamesTheClosestOne() {
        assertEquals("unknown option --epoch; did you mean --epochs? (--help lists the options)", usageError("--epoch", "1"));
        assertEquals("unknown option --batchsize; did you mean --batch-size? (--help lists the options)",
                usageError("--batchsize", "64"));
        assertEquals("unknown option --hlep; did you mean --help? (--help lists the options)", usageError("--hlep"));
    }

    @Test
    void badValuesAreErrorsBeforeAnythingRuns() {
        assertEquals("--epochs must be a whole number, got \"three\"", usageError("--epochs", "three"));
        assertEquals("--lr must be a number, got \"fast\"", usageError("--lr", "fast"));
        assertEquals("--variant must be one of modern, d2l, got \"d2k\"", usageError("--variant", "d2k"));
        assertEquals("--epochs needs a value: --epochs N", usageError("--epochs"));
        assertEquals("--epochs needs a value: --epochs N", usageError("--epochs", "--show"));
        assertEquals("--show is a flag and takes no value", usageError("--show=yes"));
        assertEquals("--epochs is given twice", usageError("--epochs", "1", "--epochs", "2"));
        assertTrue(usageError("5").startsWith("expected an option like --epochs 5, got \"5\""));
        assertTrue(usageError("--show", "yes").startsWith("expected an option like --epochs 5, got \"yes\""));
    }

    @Test
    void helpListsEveryOptionWithItsDefaultOnOneLine() {
        Options.HelpRequested help = assertThrows(Options.HelpRequested.class,
                () -> lenetLike().read(new String[] {"--epochs", "1", "--help"}));
        String expected = """
                Usage: demo [options]
                A demo.
                Options:
                  --variant modern|d2l  which network (default: modern)
                  --epochs N            passes over the training set (default: 10)
                  --batch-size N        images per step (default: 256)
                  --lr X                learning rate (default: 0.001 for modern, 0.9 for d2l)
                  --name NAME           a name (default: none)
                  --show                also open each chart in a window, where a display exists
                  --help                print this help and stop
                """;
        assertEquals(expected, help.text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void readingAnOptionTheDeclarationDoesNotMatchIsABugReportedAtOnce() {
        Options options = lenetLike().read(new String[0]);
        assertTrue(assertThrows(IllegalStateException.class, () -> options.getInt("epoch")).getMessage()
                .contains("--epoch is read but not declared"));
        assertTrue(assertThrows(IllegalStateException.class, () -> options.getInt("epochs", 5)).getMessage()
                .contains("declared with default 10 but read with fallback 5"));
        assertTrue(assertThrows(IllegalStateException.class, () -> options.getDouble("lr")).getMessage()
                .contains("--lr has no fixed default"));
        assertThrows(IllegalStateException.class, () -> options.getDouble("epochs"));
        assertThrows(IllegalStateException.class, () -> options.choice("variant", "a", "b"));
        assertThrows(IllegalStateException.class, () -> Options.declare("x", "x").flag("a", "").flag("a", ""));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Options.editDistance("epochs", "epochs"));
        assertEquals(1, Options.editDistance("epoch", "epochs"));
        assertEquals(1, Options.editDistance("batchsize", "batch-size"));
        assertEquals(2, Options.editDistance("hlep", "help"));
        assertEquals(3, Options.editDistance("", "abc"));
    }

    private record Run(int status, String out, String err) {
    }

    private static Run launch(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Examples.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyExampleAnswersHelpWithoutRunningAndRejectsAMisspeltOption() {
        for (String name : Examples.names()) {
            Run help = launch(name, "--help");
            assertEquals(0, help.status(), name + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: " + name + " [options]\n"), help.out());
            assertTrue(help.out().contains("  --help"), help.out());
            assertEquals("", help.err());

            Run wrong = launch(name, "--hepl");
            assertEquals(2, wrong.status(), name);
            assertEquals(name + ": unknown option --hepl; did you mean --help? (--help lists the options)",
                    wrong.err().strip());
        }
    }

    @Test
    void theLauncherListsTheExamplesOnHelp() {
        Run help = launch("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("  lenet        LeNet on Fashion-MNIST"), help.out());
        assertTrue(help.out().contains("lenet --help"), help.out());
        Run misspelt = launch("lenet", "--epoch", "1");
        assertEquals(2, misspelt.status());
        assertEquals("lenet: unknown option --epoch; did you mean --epochs? (--help lists the options)",
                misspelt.err().strip());
        assertEquals("", misspelt.out());
    }
}
