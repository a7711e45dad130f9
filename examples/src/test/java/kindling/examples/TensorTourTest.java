package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTourTest {

    private static String captureStdout(Runnable body) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static void assertLineFollows(List<String> lines, String label, String expected) {
        int at = lines.indexOf(label);
        assertTrue(at >= 0, "no line '" + label + "' in:\n" + String.join("\n", lines));
        assertEquals(expected, lines.get(at + 1), "after '" + label + "'");
    }

    @Test
    void tourPrintsGradientsThatMatchTheHandDerivatives() {
        List<String> lines = captureStdout(() -> TensorTour.main(new String[0])).lines().toList();
        assertLineFollows(lines, "loss = w.mul(in).add(b).sum():", "tensor(33.5000, gradFn=SumOp)");
        assertLineFollows(lines, "w.grad()  (by hand: in = [4, 5, 6]):", "tensor([4., 5., 6.])");
        assertLineFollows(lines, "b.grad()  (by hand: 3, one per element b was added to):", "tensor(3.)");
        assertLineFollows(lines, "after x.t().select(0, 0).fill_(100f), x is:", "tensor([[100.,   1.,   2.],");
        assertTrue(lines.contains("x.t() shares x's storage: true"));
        // Section 5: the row relu zeroed has equal scores, so softmax gives it 0.5 and 0.5.
        assertTrue(lines.contains("        [0.5000, 0.5000]], gradFn=SoftmaxOp)"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("  gradcheck passed")), String.join("\n", lines));
        assertTrue(lines.contains("  n5 [shape=ellipse, label=\"loss = SumOp ()\"];"));
        assertLineFollows(lines, "and w.mul(in) records nothing:", "tensor([ 2.4000,  7.5000, 14.4000])");
    }

    @Test
    void launcherListsTheExamplesWithLeNetAsTheDefault() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Examples.list(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("  lenet        LeNet on Fashion-MNIST"), out);
        assertTrue(out.contains("  tour         a printed tour"), out);
        assertEquals("lenet", Examples.DEFAULT);
    }

    @Test
    void launcherRunsAnExampleByName() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] status = new int[1];
        String out = captureStdout(() -> status[0] = Examples.run(new String[] {"tour"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(0, status[0]);
        assertTrue(out.contains("== 4. A gradient by backward =="), out);
    }

    @Test
    void unknownExampleListsTheNamesAndReturnsTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Examples.run(new String[] {"nope"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("Unknown example \"nope\". Available: lenet, "), message);
        for (String name : new String[] {"alexnet", "vgg", "resnet", "triplet", "optimizers", "batchnorm", "charlm", "transformer", "tour", "spirals"}) {
            assertTrue(message.contains(", " + name), message);
        }
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadOptionIsReportedInOneLineWithStatusTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Examples.run(new String[] {"lenet", "--epochs", "three"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("lenet: --epochs must be a whole number, got \"three\"", err.toString(StandardCharsets.UTF_8).strip());
    }
}
