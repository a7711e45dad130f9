/**
 * The training loop as a reusable class, once a student has written it by hand: read
 * {@link kindling.train.Trainer} first — {@code fit} is the loop of every example (zeroGrad, forward,
 * loss, backward, step) with evaluation, checkpoints and resuming around it. {@link kindling.train.History}
 * records each epoch's losses and accuracies; {@link kindling.train.ProgressBar} prints progress (plain
 * lines when the output is not a terminal).
 */
package kindling.train;
