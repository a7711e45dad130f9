package kindling.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Vocab's indices, minimum frequency, encoding and decoding; PaddedBatch's padding and mask. */
class VocabTest {

    @Test
    void specialTokensFirstThenByFrequencyWithRareTokensAsUnknown() {
        Vocab vocab = Vocab.build(List.of(List.of("the", "cat", "sat"), List.of("the", "dog", "sat"),
                List.of("the", "cat")), 2);
        assertEquals(List.of("<pad>", "<bos>", "<eos>", "<unk>", "the", "cat", "sat"), vocab.tokens());
        assertEquals(Vocab.UNK_INDEX, vocab.indexOf("dog"));                 // seen once, minFreq 2
        assertArrayEquals(new int[] {1, 4, 5, 3, 2}, vocab.encode(List.of("the", "cat", "dog"), true, true));
        assertEquals(List.of("the", "cat", "<unk>"), vocab.decode(List.of(1, 4, 5, 3, 2, 6, 6)));  // stops at <eos>
        assertThrows(IllegalArgumentException.class, () -> Vocab.build(List.of(), 0));
        assertThrows(IndexOutOfBoundsException.class, () -> vocab.token(7));
    }

    @Test
    void charactersRoundTrip() {
        Vocab vocab = Vocab.ofCharacters(List.of("1979-05-03", "2002-03-05"), 1);
        assertEquals("0", vocab.token(4));                                   // the most frequent character
        int[] encoded = vocab.encodeCharacters("2002-03-05", false, true);
        assertEquals(11, encoded.length);
        List<Integer> indices = java.util.Arrays.stream(encoded).boxed().toList();
        assertEquals("2002-03-05", vocab.decodeCharacters(indices));
        assertEquals(Vocab.UNK_INDEX, vocab.encodeCharacters("x", false, false)[0]);
    }

    @Test
    void padsToTheLongestAndMasksThePadding() {
        PaddedBatch batch = PaddedBatch.pad(List.of(new int[] {5, 9, 4}, new int[] {7, 7, 8, 2, 6}, new int[] {3}),
                Vocab.PAD_INDEX);
        assertArrayEquals(new int[] {3, 5}, batch.tokens().shape());
        assertArrayEquals(new float[] {5, 9, 4, 0, 0, 7, 7, 8, 2, 6, 3, 0, 0, 0, 0}, batch.tokens().toArray());
        assertArrayEquals(new int[] {3, 5, 1}, batch.lengths());
        float inf = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new float[] {0, 0, 0, inf, inf, 0, 0, 0, 0, 0, 0, inf, inf, inf, inf},
                batch.keyPaddingMask().additive().toArray());
        assertThrows(IllegalArgumentException.class, () -> PaddedBatch.pad(List.of(new int[] {1, 2}), 0, 1));
    }
}
