package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.models.LeNet;
import kindling.nn.Sequential;
import kindling.tensor.Generator;
import org.junit.jupiter.api.Test;

class OptimizersExampleTest {
    private static double bowl(float[] x) {
        return 0.1 * x[0] * x[0] + 2 * x[1] * x[1];
    }

    @Test
    void onTheBowlMomentumAndRmsPropOvertakePlainSgd() {
        Map<String, float[][]> paths = new HashMap<>();
        for (OptimizersExample.Recipe recipe : OptimizersExample.bowlRecipes()) {
            float[][] path = OptimizersExample.bowlPath(recipe, 20);
            assertEquals(21, path.length, recipe.name());
            assertArrayEquals(new float[] {-5, -2}, path[0], recipe.name());
            paths.put(recipe.name().split(" ")[0], path);
        }
        // SGD's first step: x - 0.4 · (0.2 x1, 4 x2) = (-5 + 0.4, -2 + 3.2), the zig-zag of d2l 11.6.
        assertArrayEquals(new float[] {-4.6f, 1.2f}, paths.get("SGD")[1], 1e-6f);
        double sgd = bowl(paths.get("SGD")[20]);
        assertTrue(bowl(paths.get("momentum")[20]) < sgd / 10, "momentum should end far nearer the minimum");
        assertTrue(bowl(paths.get("RMSProp")[20]) < sgd / 10, "RMSProp should end far nearer the minimum");
        // Adagrad's steps shrink as squared gradients pile up: slower than SGD here, as d2l 11.7 shows.
        assertTrue(bowl(paths.get("Adagrad")[20]) > sgd);
    }

    @Test
    void everyNetworkRecipeLowersTheTrainingLoss() throws IOException {
        ImageData data = FashionMnist.loadBundledSubset();
        TensorDataset few = new TensorDataset(data.train().inputs().narrow(0, 0, 256),
                data.train().targets().narrow(0, 0, 256));
        DataLoader train = DataLoader.builder(few).batchSize(32).shuffle(0).build();
        // 128 steps: plain SGD at lr 0.1 sits on its starting plateau for about 60 of them.
        for (OptimizersExample.Recipe recipe : OptimizersExample.networkRecipes()) {
            Generator.manualSeed(0);
            Sequential net = LeNet.modern(LeNet.Norm.NONE);
            double[] curve = OptimizersExample.trainLossCurve(net, recipe.make().apply(net.parameters()), train, 16, 8,
                    recipe.name(), new PrintStream(OutputStream.nullOutputStream()));
            assertEquals(16, curve.length, recipe.name());
            assertTrue(curve[15] < 0.8 * curve[0], recipe.name() + ": the loss per epoch went " + java.util.Arrays.toString(curve));
        }
    }
}
