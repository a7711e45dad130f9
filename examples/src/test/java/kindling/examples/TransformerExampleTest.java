package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import kindling.examples.models.DigitTransformer;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TransformerExampleTest {

    @Test
    void theMultiHeadAttentionTraceHasTheBooksShapes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tensor output = TransformerExample.traceMultiHeadAttention(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        // d2l 11.5: queries (2, 4, 100), keys/values (2, 6, 100), 5 heads -> output (2, 4, 100).
        assertEquals("""
                  queries X                            (2, 4, 100)
                  keys = values Y                      (2, 6, 100)
                  Q = X W_qᵀ + b_q                     (2, 4, 100)
                  K, V = Y W_kᵀ + b_k, Y W_vᵀ + b_v    (2, 6, 100)
                  Q split into 5 heads                 (2, 5, 4, 20)
                  K, V split into 5 heads              (2, 5, 6, 20)
                  scores Q Kᵀ/√20 + mask               (2, 5, 4, 6)
                  weights = softmax(scores)            (2, 5, 4, 6)
                  heads = weights V                    (2, 5, 4, 20)
                  heads concatenated                   (2, 4, 100)
                  output = concat W_oᵀ + b_o           (2, 4, 100)
                  attention(X, Y, Y, valid_lens)       (2, 4, 100)
                """, bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertArrayEquals(new int[] {2, 4, 100}, output.shape());
    }

    @Test
    void reversalBatchesArePaddedAndReversed() {
        TransformerExample.Batch batch = TransformerExample.reversalBatch(new Generator(3), 50);
        float[] tokens = batch.tokens().toArray();
        float[] targets = batch.targets().toArray();
        for (int s = 0; s < 50; s++) {
            int length = 0;
            while (length < 10 && tokens[s * 10 + length] != DigitTransformer.PAD) {
                length++;
            }
            assertTrue(length >= 8, "length " + length);
            for (int i = 0; i < 10; i++) {
                float expected = i < length ? tokens[s * 10 + length - 1 - i] : -100;
                assertEquals(expected, targets[s * 10 + i]);
            }
        }
    }

    @Test
    void theModelOverfitsOneSmallBatch() {
        Generator.manualSeed(0);
        DigitTransformer model = new DigitTransformer(32, 4, 2, 0.0);
        TransformerExample.Batch batch = TransformerExample.reversalBatch(new Generator(4), 16);
        Adam optimizer = Adam.builder(model.parameters()).lr(0.003f).build();
        float loss = Float.NaN;
        for (int step = 0; step < 600; step++) {
            Tensor l = TransformerExample.loss(model, batch.tokens(), batch.targets());
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
            loss = l.item();
        }
        assertTrue(loss < 0.05f, "loss after 600 steps on 16 sequences: " + loss);
        assertArrayEquals(new int[] {1, 4, 10, 10}, model.attentionWeights(batch.tokens().narrow(0, 0, 1), 1).shape());
    }
}
