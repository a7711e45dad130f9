package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A student's JVM without {@code --add-modules jdk.incubator.vector}: Gemm must still work (plain
 * Java), must not throw NoClassDefFoundError, and must say once how to get the fast path.
 * This needs a fresh JVM, so the test starts one with {@link Main}.
 */
class GemmWithoutVectorModuleTest {

    /** Runs in the child JVM: one small product through the facade and one sigmoid, then prints the results. */
    public static final class Main {
        public static void main(String[] args) {
            float[] a = {1f, 2f, 3f, 4f};
            float[] c = new float[4];
            Gemm.gemm(2, 2, 2, Operand.of(a, 0, 2), Operand.of(a, 0, 2), 0f, Operand.of(c, 0, 2));
            Gemm.gemm(2, 2, 2, Operand.of(a, 0, 2), Operand.of(a, 0, 2), 0f, Operand.of(c, 0, 2));
            float[] s = new float[1];
            Elementwise.sigmoid(new float[] {0f}, s, 0, 1);           // the other kernel with a SIMD path
            System.out.println("simd=" + Kernels.simd() + " mode=" + Kernels.mode() + " c=" + c[0] + "," + c[1] + "," + c[2] + "," + c[3]
                    + " sigmoid(0)=" + s[0]);
        }
    }

    @Test
    void fallsBackToPlainJavaWithOneHint() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName())).start();
        String stdout = readAll(process.getInputStream());
        String stderr = readAll(process.getErrorStream());
        assertEquals(0, process.waitFor(), "child JVM failed: " + stderr);
        assertEquals("simd=false mode=plain c=7.0,10.0,15.0,22.0 sigmoid(0)=0.5", stdout.trim());
        String[] hintLines = stderr.lines().filter(line -> line.contains("--add-modules jdk.incubator.vector"))
                .toArray(String[]::new);
        assertEquals(1, hintLines.length, "expected one hint line on stderr, got: " + stderr);
        assertTrue(hintLines[0].startsWith("Kindling:"), hintLines[0]);
    }

    private static String readAll(InputStream stream) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stream.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
