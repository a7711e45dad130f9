/**
 * The pieces of the {@code seq2seq} example, translating human-readable dates into ISO dates:
 * {@link kindling.examples.seq2seq.Dates} (the data, generated offline with a fixed seed) and
 * {@link kindling.examples.seq2seq.DateBatches} (characters to padded index tensors, with the shifted
 * decoder input of teacher forcing). The program is {@link kindling.examples.Seq2SeqExample}; the networks
 * {@link kindling.examples.models.DateTransformer} and {@link kindling.examples.models.AttentionGruTranslator};
 * {@code docs/seq2seq.md} is the chapter.
 */
package kindling.examples.seq2seq;
