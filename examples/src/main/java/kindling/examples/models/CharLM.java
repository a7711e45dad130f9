package kindling.examples.models;

import kindling.nn.Embedding;
import kindling.nn.GRU;
import kindling.nn.LSTM;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.RNNBase;
import kindling.nn.RNNOutput;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * A character-level language model, in the spirit of the dinosaur-names exercise of Ng's sequence
 * models course and of Karpathy's makemore: it reads a word one letter at a time and predicts the next.
 * <pre>
 *   tokens (N, L) ──Embedding(27, E)──▶ (N, L, E) ──LSTM or GRU(E, H)──▶ (N, L, H) ──Linear(H, 27)──▶ logits (N, L, 27)
 *
 *   "cat" is read as   .  c  a  t          (input: the start token '.', then the letters)
 *   and must predict   c  a  t  .          (target: the letters, then '.' to end the word)
 * </pre>
 * With {@code projSize} P &gt; 0 the LSTM projects its hidden state to P features (an LSTMP,
 * PyTorch's {@code proj_size}): the cell keeps H features, the head reads P.
 * <p>The 27 tokens are '.' (0), the start and end of a word, and 'a'..'z' (1..26). A word is generated
 * by feeding '.' and then each drawn letter back in until '.' comes out ({@link #sample}).
 */
public final class CharLM extends Module {
    /** Token i is ALPHABET.charAt(i); '.' marks the start and the end of a word. */
    public static final String ALPHABET = ".abcdefghijklmnopqrstuvwxyz";
    public static final int VOCAB = ALPHABET.length();

    public final Embedding embedding;
    public final RNNBase rnn;
    public final Linear head;

    /** {@code cell} is "lstm" or "gru". */
    public CharLM(String cell, int embeddingDim, int hiddenSize) {
        this(cell, embeddingDim, hiddenSize, 0);
    }

    /** {@code cell} is "lstm" or "gru"; {@code projSize} &gt; 0 (LSTM only) projects the hidden state to that many features. */
    public CharLM(String cell, int embeddingDim, int hiddenSize, int projSize) {
        this(cell, embeddingDim, hiddenSize, projSize, Double.NaN);
    }

    /**
     * As {@link #CharLM(String, int, int, int)}, with the letter vectors kept to a length of at most
     * {@code maxNorm} (PyTorch's {@code max_norm}; NaN for no limit): each forward first scales down
     * every picked row that has grown longer.
     */
    public CharLM(String cell, int embeddingDim, int hiddenSize, int projSize, double maxNorm) {
        embedding = registerModule("embedding", Embedding.builder(VOCAB, embeddingDim).maxNorm(maxNorm).build());
        rnn = registerModule("rnn", switch (cell) {
            case "lstm" -> LSTM.builder(embeddingDim, hiddenSize).projSize(projSize).batchFirst(true).build();
            case "gru" -> {
                if (projSize != 0) {
                    throw new IllegalArgumentException("CharLM: a projection (projSize " + projSize + ") needs the lstm cell, got gru");
                }
                yield GRU.builder(embeddingDim, hiddenSize).batchFirst(true).build();
            }
            default -> throw new IllegalArgumentException("CharLM: cell must be lstm or gru, got " + cell);
        });
        head = registerModule("head", new Linear(rnn.outputSize(), VOCAB));
    }

    /** Logits (N, L, 27) of the next token after each prefix of tokens (N, L). */
    @Override
    public Tensor forward(Tensor tokens) {
        return head.forward(rnn.forward(embedding.forward(tokens)));
    }

    /** The token of a letter: '.' → 0, 'a' → 1, ..., 'z' → 26. */
    public static int token(char letter) {
        int token = ALPHABET.indexOf(letter);
        if (token < 0) {
            throw new IllegalArgumentException("CharLM: '" + letter + "' is not one of " + ALPHABET);
        }
        return token;
    }

    /**
     * Draws one word: start from '.', feed each drawn letter back with the recurrent state carried
     * along, stop at '.' or after {@code maxLength} letters. Temperature T divides the logits:
     * p = softmax(logits / T), so T &lt; 1 picks likely letters more often and T &gt; 1 spreads out.
     */
    public String sample(Generator generator, double temperature, int maxLength) {
        StringBuilder word = new StringBuilder();
        int token = 0;
        RNNOutput state = null;
        for (int i = 0; i < maxLength; i++) {
            Tensor x = embedding.forward(Tensor.of(new float[] {token}, 1, 1));       // (1, 1, E)
            state = step(x, state);
            float[] logits = head.forward(state.output()).reshape(VOCAB).toArray();
            token = draw(logits, temperature, generator);
            if (token == 0) {
                break;
            }
            word.append(ALPHABET.charAt(token));
        }
        return word.toString();
    }

    /** One time step of the recurrent layer from the previous state (null: zeros). */
    private RNNOutput step(Tensor x, RNNOutput previous) {
        Tensor h = previous == null ? null : previous.hN();
        if (rnn instanceof LSTM lstm) {
            return lstm.forward(x, h, previous == null ? null : previous.cN());
        }
        return ((GRU) rnn).forward(x, h);
    }

    /** A token drawn from softmax(logits / T): the first whose cumulative probability passes u ~ U(0, 1). */
    static int draw(float[] logits, double temperature, Generator generator) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit / temperature);
        }
        double[] p = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] / temperature - max);          // minus the max: no overflow
            total += p[i];
        }
        double u = generator.nextDouble() * total;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
