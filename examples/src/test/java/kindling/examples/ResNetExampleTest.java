package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import kindling.data.DataLoader;
import kindling.data.Dataset;
import kindling.data.FashionMnist;
import kindling.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResNetExampleTest {
    /**
     * The resnet example's recipe (ResNet.small() with its batch norms, Adam, shuffled batches, a
     * checkpoint after every epoch) on 32 images: two epochs at once, and one epoch, then a new
     * process's worth of objects resuming for the second, end with the same fingerprint, which covers
     * batch norm's running statistics as well as the weights.
     */
    @Test
    void aRunResumedFromItsCheckpointEndsWithTheWeightsAndStatisticsOfOneThatNeverStopped(@TempDir Path folder)
            throws IOException {
        Dataset few = ResNetExample.first(FashionMnist.loadBundledSubset().train(), 32);
        // The straight run is the first in this JVM, so it runs partly interpreted and the others
        // compiled: the kernels give the same bits in every JIT tier (docs/kernels.md), so this also
        // holds a fresh JVM's first training to a later one's.
        long straight = train(few, folder.resolve("straight"), 2, false, false);
        long firstEpoch = train(few, folder.resolve("interrupted"), 1, false, false);
        long resumed = train(few, folder.resolve("interrupted"), 2, true, false);

        assertNotEquals(firstEpoch, resumed, "the resumed run trained its second epoch");
        assertEquals(straight, resumed);
    }

    /**
     * With {@code --augment} the flips and crops come from a generator that every checkpoint keeps, so
     * an augmented run resumed after its first epoch draws the second epoch's flips and crops as the
     * uninterrupted one did and ends with the same weights; and the augmentation does change what is
     * trained (another fingerprint than the plain run's).
     */
    @Test
    void anAugmentedRunResumedFromItsCheckpointDrawsTheFlipsAndCropsOfOneThatNeverStopped(@TempDir Path folder)
            throws IOException {
        Dataset few = ResNetExample.first(FashionMnist.loadBundledSubset().train(), 32);
        long plain = train(few, folder.resolve("plain"), 2, false, false);
        long straight = train(few, folder.resolve("straight"), 2, false, true);
        train(few, folder.resolve("interrupted"), 1, false, true);
        long resumed = train(few, folder.resolve("interrupted"), 2, true, true);

        assertNotEquals(plain, straight, "the augmented run trained on flipped and shifted images");
        assertEquals(straight, resumed);
    }

    /** What {@code ResNetExample.main} does up to the fingerprint (its recipe), with a fresh model and optimizer. */
    private static long train(Dataset data, Path checkpoints, int epochs, boolean resume, boolean augment)
            throws IOException {
        ResNetExample.Recipe recipe = ResNetExample.recipe(false, 0, 0.001f, epochs, checkpoints, augment);
        DataLoader train = ResNetExample.trainLoader(data, 16, recipe, false);
        Trainer trainer = recipe.trainer().output(new PrintStream(OutputStream.nullOutputStream()), false).build();
        if (resume) {
            assertEquals(1, trainer.resume());
        }
        trainer.fit(train, null);
        return ClassifierRun.fingerprint(recipe.net());
    }
}
