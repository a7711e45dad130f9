package kindling.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * The tensors of {@code golden/kindling_written.safetensors}, the file Kindling wrote for
 * {@code tools/golden/gen_safetensors.py} to check in PyTorch. Every value is exact in float32, so
 * the script builds the same tensors. To rewrite the file (only if the format code changes on purpose):
 * <pre>
 *   mvn -q -o -pl core,nn test-compile -Dquick
 *   java -cp core/target/classes:nn/target/classes:nn/target/test-classes kindling.io.KindlingGoldenFile \
 *        nn/src/test/resources/golden/kindling_written.safetensors
 *   cd tools/golden && /usr/bin/python3 gen_safetensors.py
 * </pre>
 */
public final class KindlingGoldenFile {
    private KindlingGoldenFile() {
    }

    /** The state dict of a torch {@code Sequential(Linear(4, 3), ReLU(), Linear(3, 2))}, with exact values. */
    static Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("0.weight", Tensor.arange(12).add(Tensor.scalar(-5.5f)).mul(Tensor.scalar(0.25f)).reshape(3, 4));
        out.put("0.bias", Tensor.of(new float[] {0.25f, -1.5f, 3f}));
        out.put("2.weight", Tensor.arange(6).mul(Tensor.scalar(-0.125f)).reshape(2, 3));
        out.put("2.bias", Tensor.of(new float[] {0.001f, -7f}));
        return out;
    }

    static Map<String, String> metadata() {
        return Map.of("format", "pt");
    }

    public static void main(String[] args) throws IOException {
        SafeTensors.save(tensors(), metadata(), Path.of(args[0]));
        System.out.println("wrote " + args[0]);
    }
}
