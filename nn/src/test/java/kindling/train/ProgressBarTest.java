package kindling.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void run(ProgressBar bar, int total) {
        for (int done = 1; done <= total; done++) {
            bar.update(done, 0.5, 0.75, 64L * done);
        }
    }

    @Test
    void outsideATerminalPrintsOnePlainLineAtEachQuarter() {
        run(new ProgressBar(out, false, "epoch 1/3", 235), 235);
        String text = written();
        assertFalse(text.contains("\r"), "no carriage returns in a log");
        List<String> lines = text.lines().toList();
        assertEquals(4, lines.size(), text);
        // The quarters of 235 batches: the first batch at or past 25, 50, 75 and 100 %.
        List<String> counts = List.of("59/235", "118/235", "177/235", "235/235");
        for (int i = 0; i < 4; i++) {
            assertTrue(lines.get(i).startsWith("epoch 1/3 " + counts.get(i) + " loss 0.5000 acc 0.7500 ETA "),
                    lines.get(i));
            assertTrue(lines.get(i).endsWith(" img/s"), lines.get(i));
        }
    }

    @Test
    void plainLinesStayBoundedForShortAndLongEpochs() {
        for (int total : new int[] {1, 2, 3, 5, 10_000}) {
            bytes.reset();
            run(new ProgressBar(out, false, "e", total), total);
            long lines = written().lines().count();
            assertEquals(Math.min(total, 4), lines, "total " + total + ":\n" + written());
            assertTrue(written().lines().reduce((a, b) -> b).orElseThrow().startsWith("e " + total + "/" + total),
                    "the last line is the end of the epoch");
        }
    }

    @Test
    void onATerminalRedrawsOneLineAndEndsItOnce() {
        run(new ProgressBar(out, true, "epoch 2/3", 10), 10);
        String text = written();
        assertEquals(10, text.chars().filter(c -> c == '\r').count(), "one redraw per update");
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "a single line, ended after the last batch");
        assertTrue(text.endsWith(System.lineSeparator()));
        String last = text.substring(text.lastIndexOf('\r') + 1).strip();
        assertTrue(last.startsWith("epoch 2/3 [====================] 10/10 loss 0.5000"), last);
        String half = text.split("\r")[5];
        assertTrue(half.startsWith("epoch 2/3 [==========>         ] 5/10 "), half);
    }

    @Test
    void aShorterRedrawCoversTheEndOfTheLongerOne() {
        ProgressBar bar = new ProgressBar(out, true, "e", 3);
        bar.update(1, 12345.6789, 0.5, 1_000_000_000L);
        bar.update(2, 1, 0.5, 1);
        String[] draws = written().split("\r");
        assertTrue(draws[2].length() >= draws[1].length(), "second draw is padded: '" + draws[2] + "'");
    }

    @Test
    void theRateNamesTheUnitOfTheData() {
        run(new ProgressBar(out, false, "training", 4, "seq"), 4);
        assertTrue(written().lines().allMatch(line -> line.endsWith(" seq/s")), written());
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(out, false, "x", 4, " "));
    }

    @Test
    void noConsoleIsNoTerminal() {
        assertFalse(ProgressBar.isTerminal(null));
    }

    @Test
    void clockShowsMinutesAndHours() {
        assertEquals("0:05", ProgressBar.clock(4.6));
        assertEquals("2:03", ProgressBar.clock(123));
        assertEquals("1:00:01", ProgressBar.clock(3601));
    }
}
