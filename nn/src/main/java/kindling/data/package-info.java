/**
 * Data for training: data sets, mini-batches and the loader that makes them, the IDX files of
 * MNIST and Fashion-MNIST, and image transforms. Start with {@link kindling.data.Batch}.
 */
package kindling.data;
