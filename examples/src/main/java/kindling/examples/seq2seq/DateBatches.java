package kindling.examples.seq2seq;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import kindling.data.text.PaddedBatch;
import kindling.data.text.Vocab;
import kindling.tensor.Tensor;

/**
 * Date pairs as tensors, character by character, for teacher forcing:
 * <pre>
 *   source          "5 mar 2002"            → [5, ␣, m, a, r, ␣, 2, 0, 0, 2, pad, pad ...]   (N, S), padded
 *   decoder input   &lt;bos&gt; 2 0 0 2 - 0 3 - 0 5    (N, 11)   the target shifted right by one
 *   decoder target  2 0 0 2 - 0 3 - 0 5 &lt;eos&gt;    (N, 11)   what each position must predict
 * </pre>
 * At position t the decoder has read &lt;bos&gt; and the first t−1 true characters, whatever it would itself have
 * predicted: that is teacher forcing. Every ISO date has 10 characters, so targets need no padding.
 */
public final class DateBatches {
    /** "yyyy-mm-dd". */
    public static final int ISO_LENGTH = 10;

    /** A batch: the padded source, the decoder's input and target, and the pairs they came from. */
    public record Batch(PaddedBatch source, Tensor decoderInput, Tensor decoderTarget, List<Dates.Pair> pairs) {
    }

    private DateBatches() {
    }

    /** The characters of every format, from every date of 2000 (a leap year: all months, weekdays and days). */
    public static Vocab sourceVocab() {
        List<String> texts = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2000, 1, 1); d.getYear() == 2000; d = d.plusDays(1)) {
            for (int f = 0; f < Dates.FORMATS.size(); f++) {
                texts.add(Dates.format(d, f));
            }
        }
        return Vocab.ofCharacters(texts, 1);
    }

    /** The eleven characters of ISO dates after the four special tokens. */
    public static Vocab targetVocab() {
        return Vocab.ofCharacters(List.of("0123456789-"), 1);
    }

    /** The tensors of {@code pairs}. */
    public static Batch of(List<Dates.Pair> pairs, Vocab source, Vocab target) {
        List<int[]> sources = new ArrayList<>(pairs.size());
        float[] input = new float[pairs.size() * (ISO_LENGTH + 1)];
        float[] wanted = new float[pairs.size() * (ISO_LENGTH + 1)];
        for (int n = 0; n < pairs.size(); n++) {
            sources.add(source.encodeCharacters(pairs.get(n).human(), false, false));
            int[] iso = target.encodeCharacters(pairs.get(n).iso(), true, true);   // <bos> 10 characters <eos>
            for (int t = 0; t <= ISO_LENGTH; t++) {
                input[n * (ISO_LENGTH + 1) + t] = iso[t];
                wanted[n * (ISO_LENGTH + 1) + t] = iso[t + 1];
            }
        }
        return new Batch(PaddedBatch.pad(sources, Vocab.PAD_INDEX), Tensor.wrap(input, pairs.size(), ISO_LENGTH + 1),
                Tensor.wrap(wanted, pairs.size(), ISO_LENGTH + 1), pairs);
    }
}
