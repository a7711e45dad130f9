package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kindling.generative.Trajectory;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SdeExampleTest {

    @Test
    void aLargerSigmaSpreadsTheOrnsteinUhlenbeckProcessWider() {
        List<SdeExample.Spread> spreads = SdeExample.ouSpreads(400, 0);
        assertEquals(0, spreads.get(0).measuredStd(), 1e-6, "σ = 0: every path decays to 0");
        for (int i = 1; i < spreads.size(); i++) {
            SdeExample.Spread s = spreads.get(i);
            assertTrue(s.measuredStd() > spreads.get(i - 1).measuredStd(), "σ = " + s.sigma() + " should spread wider");
            // 400 paths: the std's relative standard error is about 1/√800 ≈ 3.5%
            assertEquals(s.stationaryStd(), s.measuredStd(), 0.15 * s.stationaryStd(), "σ = " + s.sigma());
        }
    }

    @Test
    void langevinDynamicsBringsTheHistogramToTheTarget() {
        Tensor start = Tensor.full(-4f, 500, 1);
        Trajectory path = SdeExample.simulate(SdeExample.langevinDrift(SdeExample.TARGET_1D, 1), 1, start, 40, 800,
                new Generator(3));
        List<SdeExample.HistogramError> errors = SdeExample.histogramErrors(path, new double[] {0, 40});
        assertTrue(errors.get(0).l1() > 1.9, "at t = 0 every particle is at −4, far from p: " + errors.get(0));
        assertTrue(errors.get(1).l1() < 0.5, "at t = 40 the histogram should be near p: " + errors.get(1));
    }

    @Test
    void forAGaussianTargetLangevinIsTheOrnsteinUhlenbeckProcess() {
        assertTrue(SdeExample.ouMinusLangevin(50, 0) < 1e-4);
    }
}
