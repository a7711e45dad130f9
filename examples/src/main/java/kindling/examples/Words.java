package kindling.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kindling.examples.models.CharLM;
import kindling.tensor.Tensor;

/**
 * The bundled word list (8,000 lowercase English words from Debian's wamerican, see the README next to
 * it) and the batches the character model trains on.
 */
final class Words {
    /** The target of a padding position: CrossEntropyLoss's default ignoreIndex, so padding costs nothing. */
    static final int IGNORE = -100;

    private Words() {
    }

    /** The words of {@code kindling/datasets/words/words.txt}, in file (alphabetical) order. */
    static List<String> load() {
        InputStream in = Words.class.getResourceAsStream("/kindling/datasets/words/words.txt");
        if (in == null) {
            throw new IllegalStateException("the bundled word list kindling/datasets/words/words.txt is missing");
        }
        List<String> words = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    words.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }

    /** A batch: input tokens (N, L) and target tokens (N, L), L = longest word + 1. */
    record Batch(Tensor inputs, Tensor targets) {
    }

    /**
     * Encodes words as in {@link CharLM}: input ". c a t", target "c a t ."; shorter words are padded
     * with '.' in the input and {@link #IGNORE} in the target.
     */
    static Batch encode(List<String> words) {
        int length = 0;
        for (String word : words) {
            length = Math.max(length, word.length() + 1);
        }
        float[] inputs = new float[words.size() * length];
        float[] targets = new float[words.size() * length];
        Arrays.fill(targets, IGNORE);
        for (int n = 0; n < words.size(); n++) {
            String word = words.get(n);
            int row = n * length;
            for (int t = 0; t < word.length(); t++) {
                inputs[row + t + 1] = CharLM.token(word.charAt(t));        // inputs[row] stays '.'
                targets[row + t] = CharLM.token(word.charAt(t));
            }
            targets[row + word.length()] = 0;                               // '.' ends the word
        }
        return new Batch(Tensor.wrap(inputs, words.size(), length), Tensor.wrap(targets, words.size(), length));
    }
}
