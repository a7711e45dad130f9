package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void rowsCountParametersAndMacsLayerByLayer() {
        Sequential mlp = new Sequential(new Flatten(), new Linear(12, 5), new ReLU(), new Linear(5, 3));
        Summary summary = Summary.of(mlp, 4, 3, 4);
        List<Summary.Row> rows = summary.rows();
        assertEquals(4, rows.size());
        assertEquals("1", rows.get(1).path());
        assertEquals("Linear", rows.get(1).type());
        assertArrayEquals(new int[] {4, 5}, rows.get(1).outputShape());
        assertEquals(12 * 5 + 5, rows.get(1).parameters());
        assertEquals(4L * 12 * 5, rows.get(1).macs());
        assertEquals(0, rows.get(2).macs());
        assertEquals(65 + 18, summary.totalParameters());
        assertEquals(4L * 12 * 5 + 4L * 5 * 3, summary.totalMacs());
        assertTrue(summary.toString().contains("Total params: 83 (trainable 83, non-trainable 0)"), summary.toString());
    }

    @Test
    void nestedSequentialsGetARowAboveTheirIndentedChildren() {
        Sequential features = new Sequential(new Conv2d(1, 2, 3), new ReLU());
        Sequential model = new Sequential();
        model.add("features", features);
        model.add("head", new Sequential(new Flatten(), new Linear(2 * 4 * 4, 3)));
        Summary summary = Summary.of(model, 2, 1, 6, 6);
        List<String> paths = summary.rows().stream().map(Summary.Row::path).toList();
        assertEquals(List.of("features", "features.0", "features.1", "head", "head.0", "head.1"), paths);
        assertEquals(0, summary.rows().get(0).depth());
        assertEquals(1, summary.rows().get(1).depth());
        long convMacs = 2L * 2 * 4 * 4 * 9;
        assertEquals(convMacs, summary.rows().get(0).macs());
        assertEquals(convMacs + 2L * 32 * 3, summary.totalMacs());
        assertEquals(model.numParameters(), summary.totalParameters());
    }

    @Test
    void frozenParametersAreNonTrainableAndTheTrainingFlagIsRestored() {
        Sequential model = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
        model.namedChildren().get("0").freeze();
        Summary summary = Summary.of(model, 2, 3);
        assertEquals(16, summary.totalParameters() - summary.trainableParameters());
        assertTrue(model.isTraining());
        BatchNorm1d norm = (BatchNorm1d) model.namedChildren().get("1");
        assertEquals(0, norm.numBatchesTracked.item(), "the summary's pass runs in eval mode");
    }

    @Test
    void theShapeTracePrintsEachLayerAsD2lDoes() {
        Sequential model = new Sequential(new Conv2d(1, 6, 5, 1, 2), new Sigmoid(), new AvgPool2d(2, 2), new Flatten());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tensor out = Summary.traceShapes(model, Tensor.zeros(1, 1, 28, 28), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("Conv2d output shape:\t(1, 6, 28, 28)\nSigmoid output shape:\t(1, 6, 28, 28)\n"
                + "AvgPool2d output shape:\t(1, 6, 14, 14)\nFlatten output shape:\t(1, 1176)\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertArrayEquals(new int[] {1, 1176}, out.shape());
    }
}
