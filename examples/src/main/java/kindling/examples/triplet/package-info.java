/**
 * The pieces of the {@code triplet} example: embeddings trained with the triplet loss and online
 * mining (FaceNet-style). Read {@link kindling.examples.triplet.TripletMining} first (which
 * triplets, and the loss), then {@link kindling.examples.triplet.PKSampler} (the batches),
 * {@link kindling.examples.triplet.EmbeddingMetrics} (verification and 1-NN) and
 * {@link kindling.examples.triplet.Pca} (the scatter plot's projection). The program is
 * {@link kindling.examples.TripletExample}, the network {@link kindling.examples.models.EmbeddingNet};
 * {@code docs/triplet.md} is the chapter.
 */
package kindling.examples.triplet;
