package kindling.data.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A vocabulary: the tokens a model knows, each with an index, as d2l's {@code Vocab} (Dive into Deep
 * Learning, 9.2.3) with the four special tokens sequence models need at fixed places:
 * <pre>
 *   index 0  &lt;pad&gt;   fills the end of a shorter sequence in a batch (Embedding's paddingIdx, ignored by the loss)
 *   index 1  &lt;bos&gt;   begin of sequence: the decoder's first input
 *   index 2  &lt;eos&gt;   end of sequence: the decoder's last output, where generation stops
 *   index 3  &lt;unk&gt;   any token not in the vocabulary (seen fewer than minFreq times)
 *   index 4… the corpus's tokens, most frequent first (ties in the order of {@link String#compareTo}),
 *            so that the order, and every index, is the same from run to run
 * </pre>
 * Built from a corpus of token lists: tokens that occur fewer than {@code minFreq} times are left out and
 * read as {@code <unk>}. {@link #ofCharacters} builds a character-level vocabulary from strings.
 */
public final class Vocab {
    public static final String PAD = "<pad>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final String UNK = "<unk>";
    public static final int PAD_INDEX = 0;
    public static final int BOS_INDEX = 1;
    public static final int EOS_INDEX = 2;
    public static final int UNK_INDEX = 3;

    private final List<String> indexToToken;
    private final Map<String, Integer> tokenToIndex;

    private Vocab(List<String> indexToToken) {
        this.indexToToken = List.copyOf(indexToToken);
        this.tokenToIndex = new HashMap<>();
        for (int i = 0; i < indexToToken.size(); i++) {
            tokenToIndex.put(indexToToken.get(i), i);
        }
    }

    /** The vocabulary of every token seen at least {@code minFreq} times in {@code corpus} (lists of tokens). */
    public static Vocab build(Collection<? extends List<String>> corpus, int minFreq) {
        if (minFreq < 1) {
            throw new IllegalArgumentException("Vocab: minFreq must be >= 1, got " + minFreq);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> tokens : corpus) {
            for (String token : tokens) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> byFrequency = new ArrayList<>(counts.entrySet());
        byFrequency.sort(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> tokens = new ArrayList<>(List.of(PAD, BOS, EOS, UNK));
        for (Map.Entry<String, Integer> entry : byFrequency) {
            if (entry.getValue() >= minFreq && !tokens.contains(entry.getKey())) {
                tokens.add(entry.getKey());
            }
        }
        return new Vocab(tokens);
    }

    /** A character-level vocabulary: every character seen at least {@code minFreq} times in {@code texts}. */
    public static Vocab ofCharacters(Collection<String> texts, int minFreq) {
        List<List<String>> corpus = new ArrayList<>();
        for (String text : texts) {
            corpus.add(characters(text));
        }
        return build(corpus, minFreq);
    }

    /** The characters of {@code text}, each as a one-character token. */
    public static List<String> characters(String text) {
        List<String> tokens = new ArrayList<>(text.length());
        text.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
        return tokens;
    }

    /** The number of tokens, special ones included. */
    public int size() {
        return indexToToken.size();
    }

    /** The index of {@code token}, or {@link #UNK_INDEX} for a token not in the vocabulary. */
    public int indexOf(String token) {
        return tokenToIndex.getOrDefault(token, UNK_INDEX);
    }

    /** The token at {@code index}. */
    public String token(int index) {
        if (index < 0 || index >= indexToToken.size()) {
            throw new IndexOutOfBoundsException("Vocab: index " + index + " is not in [0, " + indexToToken.size() + ")");
        }
        return indexToToken.get(index);
    }

    /** The indices of {@code tokens}, optionally between {@code <bos>} and {@code <eos>}. */
    public int[] encode(List<String> tokens, boolean addBos, boolean addEos) {
        int[] indices = new int[tokens.size() + (addBos ? 1 : 0) + (addEos ? 1 : 0)];
        int i = 0;
        if (addBos) {
            indices[i++] = BOS_INDEX;
        }
        for (String token : tokens) {
            indices[i++] = indexOf(token);
        }
        if (addEos) {
            indices[i] = EOS_INDEX;
        }
        return indices;
    }

    /** The indices of the characters of {@code text}, optionally between {@code <bos>} and {@code <eos>}. */
    public int[] encodeCharacters(String text, boolean addBos, boolean addEos) {
        return encode(characters(text), addBos, addEos);
    }

    /** The tokens of {@code indices}, stopping before the first {@code <eos>} and leaving out {@code <bos>} and {@code <pad>}. */
    public List<String> decode(List<Integer> indices) {
        List<String> tokens = new ArrayList<>();
        for (int index : indices) {
            if (index == EOS_INDEX) {
                break;
            }
            if (index != BOS_INDEX && index != PAD_INDEX) {
                tokens.add(token(index));
            }
        }
        return tokens;
    }

    /** {@link #decode} joined without separators: the text of a character-level sequence. */
    public String decodeCharacters(List<Integer> indices) {
        return String.join("", decode(indices));
    }

    /** Every token in index order. */
    public List<String> tokens() {
        return Collections.unmodifiableList(indexToToken);
    }

    @Override
    public String toString() {
        return "Vocab(size=" + size() + ", tokens=" + (size() <= 12 ? indexToToken
                : indexToToken.subList(0, 12) + "...") + ")";
    }
}
