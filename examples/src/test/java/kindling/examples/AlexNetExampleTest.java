package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.TensorDataset;
import kindling.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlexNetExampleTest {
    /**
     * The alexnet example's recipe (the small AlexNet with its two Dropout layers, Adam, resized and
     * shuffled batches, a checkpoint after every epoch) on 48 images: two epochs at once, and one
     * epoch, then a new process's worth of objects resuming for the second, end with the same
     * fingerprint; the generator's state in the checkpoint is what makes dropout draw the same masks.
     */
    @Test
    void aRunResumedFromItsCheckpointEndsWithTheWeightsOfOneThatNeverStopped(@TempDir Path folder) throws IOException {
        TensorDataset all = FashionMnist.loadBundledSubset().train();
        TensorDataset few = new TensorDataset(all.inputs().narrow(0, 0, 48), all.targets().narrow(0, 0, 48));

        long straight = train(few, folder.resolve("straight"), 2, false);
        long firstEpoch = train(few, folder.resolve("interrupted"), 1, false);
        long resumed = train(few, folder.resolve("interrupted"), 2, true);

        assertNotEquals(firstEpoch, resumed, "the resumed run trained its second epoch");
        assertEquals(straight, resumed);
    }

    /** What {@code AlexNetExample.main} does up to the fingerprint (its recipe), with a fresh model and optimizer. */
    private static long train(TensorDataset data, Path checkpoints, int epochs, boolean resume) throws IOException {
        AlexNetExample.Recipe recipe = AlexNetExample.recipe(false, 0, 0.001f, epochs, checkpoints);
        DataLoader train = AlexNetExample.trainingBatches(data, false, 16);
        Trainer trainer = recipe.trainer().output(new PrintStream(OutputStream.nullOutputStream()), false).build();
        if (resume) {
            assertEquals(1, trainer.resume());
        }
        trainer.fit(train, null);
        return ClassifierRun.fingerprint(recipe.net());
    }
}
