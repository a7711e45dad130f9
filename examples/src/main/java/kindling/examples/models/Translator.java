package kindling.examples.models;

import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;
import kindling.train.NextTokenModel;

/** What the seq2seq example asks of either of its models: teacher-forced scores, and a view for decoding. */
public interface Translator {

    /** The scores (N, T, V_tgt) of every next target token given the source and the target shifted right. */
    Tensor forward(Tensor src, AttentionMask srcPadding, Tensor tgt);

    /** The decoding search's view of the model for one unpadded source (1, S). */
    NextTokenModel nextTokenModel(Tensor src);
}
