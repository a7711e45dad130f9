package kindling.examples.models;

import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;
import kindling.train.NextTokenModel;

/** What the seq2seq example asks of either of its models: teacher-forced scores, and a view for decoding. */
public interface Translator {

    /** The scores (N, T, V_tgt) of every next target token given the source and the target shifted right. */
    Tensor forward(Tensor src, AttentionMask srcPadding, Tensor tgt);

    /**
     * The decoding search's view of the model for one unpadded source (1, S): both models here return a
     * {@link kindling.train.CachedNextTokenModel}, which the searches decode step by step (a key/value cache,
     * a kept GRU state); {@code model::logProbs} is the same model rerun on whole prefixes.
     */
    NextTokenModel nextTokenModel(Tensor src);
}
