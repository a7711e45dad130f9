package kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.autograd.NoGrad;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TensorTest {

    private static void assertMessageContains(Throwable error, String... parts) {
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), "expected '" + part + "' in: " + error.getMessage());
        }
    }

    @Nested
    class Factories {
        @Test
        void zerosOnesFull() {
            assertArrayEquals(new float[6], Tensor.zeros(2, 3).toArray());
            assertArrayEquals(new float[] {1, 1, 1, 1}, Tensor.ones(2, 2).toArray());
            Tensor sevens = Tensor.full(7f, 3);
            assertArrayEquals(new float[] {7, 7, 7}, sevens.toArray());
            assertArrayEquals(new int[] {3}, sevens.shape());
            assertArrayEquals(new int[] {2, 3}, Tensor.zerosLike(Tensor.ones(2, 3)).shape());
            assertEquals(0, Tensor.zeros().dim());
            assertEquals(1, Tensor.zeros().numel());
        }

        @Test
        void negativeSizesNameTheShape() {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
            assertEquals("zeros: sizes must be non-negative, got (2, -1)", error.getMessage());
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Tensor.full(1f, -3)), "-3");
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Tensor.rand(-2)), "rand", "-2");
        }

        @Test
        void arange() {
            assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toArray());
            assertArrayEquals(new float[] {1, 1.5f, 2}, Tensor.arange(1, 2.5f, 0.5f).toArray());
            assertEquals(10, Tensor.arange(0, 1, 0.1f).numel());           // ⌈(1 − 0) / 0.1⌉, as torch
            assertArrayEquals(new float[] {5, 3.5f, 2, 0.5f}, Tensor.arange(5, 0, -1.5f).toArray());
            assertEquals(0, Tensor.arange(0).numel());
        }

        @Test
        void arangeRejectsAZeroStepOrOneThatMovesAwayFromEnd() {
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0)),
                    "arange", "step", "0.0");
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 5, -1)),
                    "arange", "-1.0", "5.0");
        }

        @Test
        void linspaceMatchesTorchBitForBitWithExactEndpoints() {
            // torch.linspace(0.1, 0.7, 7).tolist()
            float[] expected = {0.10000000149011612f, 0.19999998807907104f, 0.29999998211860657f,
                0.4000000059604645f, 0.5f, 0.6000000238418579f, 0.699999988079071f};
            assertArrayEquals(expected, Tensor.linspace(0.1f, 0.7f, 7).toArray(), 0f);
            // torch.linspace(-0.3, 0.9, 5): -0x1.333334p-2, 0, 0x1.33333p-2, 0x1.333332p-1, 0x1.cccccep-1
            assertArrayEquals(new float[] {-0x1.333334p-2f, 0f, 0x1.33333p-2f, 0x1.333332p-1f, 0.9f},
                    Tensor.linspace(-0.3f, 0.9f, 5).toArray(), 0f);
        }

        @Test
        void linspaceWithZeroOrOneStep() {
            assertEquals(0, Tensor.linspace(3, 5, 0).numel());
            assertArrayEquals(new float[] {3}, Tensor.linspace(3, 5, 1).toArray());
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1)),
                    "linspace", "-1");
        }

        @Test
        void eye() {
            assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Tensor.eye(3).toArray());
            assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, Tensor.eye(2, 3).toArray());
            assertArrayEquals(new int[] {3, 2}, Tensor.eye(3, 2).shape());
        }

        @Test
        void randomFactoriesAreDeterministicForASeed() {
            assertArrayEquals(Tensor.rand(new Generator(42), 5).toArray(), Tensor.rand(new Generator(42), 5).toArray());
            assertArrayEquals(Tensor.randn(new Generator(42), 5).toArray(), Tensor.randn(new Generator(42), 5).toArray());
            assertFalse(java.util.Arrays.equals(Tensor.rand(new Generator(1), 5).toArray(),
                    Tensor.rand(new Generator(2), 5).toArray()));
            Generator.manualSeed(7);
            float[] global = Tensor.rand(4).toArray();
            assertArrayEquals(Tensor.rand(new Generator(7), 4).toArray(), global);
            Generator.manualSeed(7);
            assertArrayEquals(global, Tensor.rand(4).toArray());
        }

        @Test
        void randomValuesLieInTheirRanges() {
            Generator gen = new Generator(3);
            for (float v : Tensor.rand(gen, 1000).toArray()) {
                assertTrue(v >= 0 && v < 1, "rand gave " + v);
            }
            boolean[] seen = new boolean[5];
            for (float v : Tensor.randint(gen, -2, 3, 1000).toArray()) {
                assertTrue(v >= -2 && v < 3 && v == Math.rint(v), "randint gave " + v);
                seen[(int) v + 2] = true;
            }
            assertArrayEquals(new boolean[] {true, true, true, true, true}, seen);
            float[] normal = Tensor.randn(gen, 10_000).toArray();
            double mean = 0;
            for (float v : normal) {
                mean += v / normal.length;
            }
            assertEquals(0, mean, 0.05);
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Tensor.randint(3, 3, 2)),
                    "randint", "low=3", "high=3");
        }

        @Test
        void ofScalarAndWrap() {
            Tensor matrix = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertArrayEquals(new int[] {2, 3}, matrix.shape());
            assertArrayEquals(new int[] {3}, Tensor.of(new float[] {1, 2, 3}).shape());
            assertArrayEquals(new int[] {2, 2}, Tensor.of(new float[][] {{1, 2}, {3, 4}}).shape());
            assertEquals(0, Tensor.scalar(2f).dim());
            float[] data = {1, 2};
            Tensor wrapped = Tensor.wrap(data, 2);
            data[0] = 9;
            assertEquals(9f, wrapped.get(0));                  // wrap does not copy
            float[] source = {1, 2};
            Tensor copied = Tensor.of(source);
            source[0] = 9;
            assertEquals(1f, copied.get(0));                   // of copies
        }

        @Test
        void ofAndWrapNameTheCountAndShapeOnMismatch() {
            ShapeException error = assertThrows(ShapeException.class, () -> Tensor.of(new float[5], 2, 3));
            assertEquals("of: 5 values cannot fill shape (2, 3) (6 elements)", error.getMessage());
            assertMessageContains(assertThrows(ShapeException.class, () -> Tensor.wrap(new float[2], 3)),
                    "wrap", "2 values", "(3,)");
            assertMessageContains(assertThrows(ShapeException.class,
                    () -> Tensor.of(new float[][] {{1, 2}, {3}})), "row 1 has 1 values", "row 0 has 2");
        }
    }

    @Nested
    class Accessors {
        private final Tensor x = Tensor.arange(24).view(2, 3, 4);

        @Test
        void shapeSizeDimNumel() {
            assertArrayEquals(new int[] {2, 3, 4}, x.shape());
            assertEquals(4, x.size(-1));
            assertEquals(2, x.size(0));
            assertEquals(3, x.dim());
            assertEquals(24, x.numel());
            x.shape()[0] = 99;                                  // a copy: the tensor is unchanged
            assertEquals(2, x.size(0));
        }

        @Test
        void dimOutOfRangeNamesTheDimAndTheRange() {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> x.size(3));
            assertEquals("size: dim 3 is out of range for a tensor with 3 dims (expected -3 to 2)", error.getMessage());
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> x.transpose(0, -4)),
                    "transpose", "dim -4", "-3 to 2");
        }

        @Test
        void itemAndGet() {
            assertEquals(5f, Tensor.scalar(5f).item());
            assertEquals(5f, Tensor.of(new float[] {5}, 1, 1).item());
            ShapeException error = assertThrows(ShapeException.class, () -> x.item());
            assertMessageContains(error, "item", "(2, 3, 4)");
            assertEquals(23f, x.get(1, 2, 3));
            assertEquals(23f, x.get(-1, -1, -1));
            assertEquals(4f, x.get(0, -2, 0));
            assertMessageContains(assertThrows(IndexOutOfBoundsException.class, () -> x.get(0, 3, 0)),
                    "index 3", "dim 1", "size 3");
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> x.get(0, 0)),
                    "expected 3 indices", "(2, 3, 4)");
        }

        @Test
        void toArrayStrideContiguity() {
            assertArrayEquals(new int[] {12, 4, 1}, x.stride());
            assertEquals(4, x.stride(1));
            assertTrue(x.isContiguous());
            Tensor t = x.transpose(0, 2);
            assertArrayEquals(new int[] {1, 4, 12}, t.stride());
            assertFalse(t.isContiguous());
            assertArrayEquals(new float[] {0, 12, 4, 16, 8, 20}, t.select(0, 0).toArray());
            assertTrue(Tensor.zeros(3, 1).expand(3, 1).isContiguous());
        }
    }

    @Nested
    class Views {
        @Test
        void viewSharesStorageWithRowMajorStrides() {
            Tensor base = Tensor.arange(12);
            Tensor v = base.view(3, 4);
            assertSame(base.storage(), v.storage());
            assertArrayEquals(new int[] {4, 1}, v.stride());
            assertArrayEquals(new int[] {2, 6}, base.view(-1, 6).shape());
            assertMessageContains(assertThrows(ShapeException.class, () -> base.view(5, -1)),
                    "view", "(5, -1)", "(12,)", "12 elements");
        }

        @Test
        void reshapeOfContiguousInputIsAView() {
            Tensor base = Tensor.arange(12).view(3, 4);
            assertSame(base.storage(), base.reshape(2, 6).storage());
        }

        @Test
        void narrowOnDimZeroThenViewKeepsStorageAndOffset() {
            Tensor rows = Tensor.arange(24).view(4, 6).narrow(0, 1, 2);
            assertEquals(6, rows.storageOffset());
            Tensor v = rows.view(3, 4);
            assertSame(rows.storage(), v.storage());
            assertEquals(6, v.storageOffset());
            assertArrayEquals(new float[] {6, 7, 8, 9}, v.select(0, 0).toArray());
        }

        @Test
        void reshapeOfViewCompatibleNonContiguousInputDoesNotCopy() {
            // Columns 0..2 of a (4, 6) matrix: strides (6, 1), two chunks of 4 and 3 elements.
            Tensor cols = Tensor.arange(24).view(4, 6).narrow(1, 0, 3);
            assertFalse(cols.isContiguous());
            Tensor r = cols.reshape(2, 2, 3);
            assertSame(cols.storage(), r.storage());
            assertArrayEquals(new int[] {12, 6, 1}, r.stride());
            assertArrayEquals(cols.toArray(), r.toArray());
        }

        @Test
        void transposeThenReshapeCopiesAndViewRefuses() {
            Tensor t = Tensor.arange(6).view(2, 3).t();
            Tensor flat = t.reshape(-1);
            assertNotSame(t.storage(), flat.storage());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, flat.toArray());
            ShapeException error = assertThrows(ShapeException.class, () -> t.view(6));
            assertMessageContains(error, "view", "(6,)", "(3, 2)", "reshape");
        }

        @Test
        void squeezeAndUnsqueeze() {
            Tensor x = Tensor.zeros(2, 1, 3, 1);
            assertArrayEquals(new int[] {2, 3}, x.squeeze().shape());
            assertArrayEquals(new int[] {2, 3, 1}, x.squeeze(1).shape());
            assertArrayEquals(new int[] {2, 1, 3, 1}, x.squeeze(0).shape());       // size 2: unchanged
            assertArrayEquals(new int[] {1, 2, 1, 3, 1}, x.unsqueeze(0).shape());
            assertArrayEquals(new int[] {2, 1, 3, 1, 1}, x.unsqueeze(-1).shape());
            assertArrayEquals(new int[] {2, 1, 3, 1, 1}, x.unsqueeze(4).shape());
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> x.unsqueeze(5)),
                    "unsqueeze", "dim 5", "-5 to 4");
        }

        @Test
        void flatten() {
            Tensor x = Tensor.arange(24).view(2, 3, 4);
            assertArrayEquals(new int[] {24}, x.flatten().shape());
            assertArrayEquals(new int[] {2, 12}, x.flatten(1, -1).shape());
            assertArrayEquals(new int[] {6, 4}, x.flatten(0, 1).shape());
            assertArrayEquals(new int[] {1}, Tensor.scalar(1).flatten(0, -1).shape());
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> x.flatten(2, 1)),
                    "flatten", "startDim 2", "endDim 1");
        }

        @Test
        void permuteTransposeAndT() {
            Tensor x = Tensor.arange(24).view(2, 3, 4);
            Tensor p = x.permute(2, 0, 1);
            assertArrayEquals(new int[] {4, 2, 3}, p.shape());
            assertArrayEquals(new int[] {1, 12, 4}, p.stride());
            assertSame(x.storage(), p.storage());
            assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
            assertArrayEquals(new int[] {4, 3, 2}, x.transpose(0, -1).shape());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, Tensor.arange(6).view(2, 3).t().toArray());
            assertArrayEquals(new int[] {3}, Tensor.zeros(3).t().shape());
            assertMessageContains(assertThrows(ShapeException.class, x::t), "t:", "(2, 3, 4)", "transpose");
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0, 1)),
                    "permute", "appears twice");
        }

        @Test
        void expandGivesZeroStrides() {
            Tensor column = Tensor.of(new float[] {1, 2, 3}).view(3, 1);
            Tensor e = column.expand(3, 4);
            assertArrayEquals(new int[] {1, 0}, e.stride());
            assertSame(column.storage(), e.storage());
            assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, e.toArray());
            Tensor lead = Tensor.of(new float[] {1, 2, 3}).expand(2, -1);
            assertArrayEquals(new int[] {2, 3}, lead.shape());
            assertArrayEquals(new int[] {0, 1}, lead.stride());
            assertMessageContains(assertThrows(ShapeException.class, () -> column.expand(2, 4)),
                    "expand", "(3, 1)", "(2, 4)");
        }

        @Test
        void narrowSliceAndSelect() {
            Tensor v = Tensor.arange(10);
            Tensor n = v.narrow(0, 2, 3);
            assertArrayEquals(new float[] {2, 3, 4}, n.toArray());
            assertEquals(2, n.storageOffset());
            Tensor s = v.slice(0, 1, 8, 3);
            assertArrayEquals(new float[] {1, 4, 7}, s.toArray());
            assertArrayEquals(new int[] {3}, s.stride());
            assertArrayEquals(new float[] {7, 8, 9}, v.slice(0, -3, 100, 1).toArray());
            assertArrayEquals(new float[] {0, 2, 4}, v.slice(0, -100, -5, 2).toArray());
            assertEquals(0, v.slice(0, 6, 2, 1).numel());
            Tensor m = Tensor.arange(12).view(3, 4);
            assertArrayEquals(new float[] {8, 9, 10, 11}, m.select(0, -1).toArray());
            assertArrayEquals(new float[] {1, 5, 9}, m.select(1, 1).toArray());
            assertSame(m.storage(), m.select(1, 1).storage());
            assertMessageContains(assertThrows(IndexOutOfBoundsException.class, () -> v.narrow(0, 8, 3)),
                    "narrow", "start 8", "length 3", "size 10");
            assertMessageContains(assertThrows(IndexOutOfBoundsException.class, () -> m.select(0, 3)),
                    "select", "index 3", "(3, 4)");
            assertMessageContains(assertThrows(IllegalArgumentException.class, () -> v.slice(0, 0, 5, 0)),
                    "slice", "step", "0");
        }

        @Test
        void contiguousAndCopy() {
            Tensor m = Tensor.arange(6).view(2, 3);
            assertSame(m, m.contiguous());
            Tensor c = m.t().contiguous();
            assertTrue(c.isContiguous());
            assertNotSame(m.storage(), c.storage());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, c.toArray());
            Tensor copy = m.copy();
            assertNotSame(m.storage(), copy.storage());
            assertArrayEquals(m.toArray(), copy.toArray());
        }
    }

    @Nested
    class InPlace {
        @Test
        void addWithAlphaMulFillZero() {
            Tensor x = Tensor.of(new float[] {1, 2, 3});
            x.add_(Tensor.ones(3), 2f);
            assertArrayEquals(new float[] {3, 4, 5}, x.toArray());
            x.mul_(Tensor.of(new float[] {1, 0, -1}));
            assertArrayEquals(new float[] {3, 0, -5}, x.toArray());
            x.mul_(2f).add_(1f);
            assertArrayEquals(new float[] {7, 1, -9}, x.toArray());
            x.sub_(Tensor.scalar(1));
            assertArrayEquals(new float[] {6, 0, -10}, x.toArray());
            x.fill_(4f);
            assertArrayEquals(new float[] {4, 4, 4}, x.toArray());
            x.zero_();
            assertArrayEquals(new float[3], x.toArray());
        }

        @Test
        void copyBroadcastsTheSource() {
            Tensor m = Tensor.zeros(2, 3);
            m.copy_(Tensor.of(new float[] {1, 2, 3}));
            assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, m.toArray());
            assertMessageContains(assertThrows(ShapeException.class, () -> m.copy_(Tensor.zeros(2))),
                    "copy_", "(2,)", "(2, 3)");
        }

        @Test
        void writesThroughAViewLandInTheBase() {
            Tensor base = Tensor.zeros(3, 4);
            base.select(0, 1).fill_(5f);
            base.t().narrow(0, 3, 1).add_(1f);                   // column 3, through a transposed view
            assertArrayEquals(new float[] {0, 0, 0, 1, 5, 5, 5, 6, 0, 0, 0, 1}, base.toArray());
        }

        @Test
        void eachWriteBumpsTheSharedVersion() {
            Tensor base = Tensor.zeros(2, 2);
            Tensor row = base.select(0, 0);
            long before = base.version();
            row.fill_(1f);
            assertEquals(before + 1, base.version());
            base.mul_(2f);
            assertEquals(before + 2, row.version());
        }

        @Test
        void leafThatRequiresGradChangesOnlyInsideNoGrad() {
            Tensor w = Tensor.ones(2).requiresGrad_();
            assertMessageContains(assertThrows(IllegalStateException.class, () -> w.add_(1f)), "add_", "NoGrad");
            try (NoGrad scope = NoGrad.enter()) {
                w.add_(1f);
            }
            assertArrayEquals(new float[] {2, 2}, w.toArray());
            Tensor y = w.mul(w);
            assertMessageContains(assertThrows(IllegalStateException.class, () -> y.zero_()), "fill_", "MulOp");
        }
    }

    @Test
    void broadcastErrorNamesTheOpTheShapesAndTheDim() {
        ShapeException error = assertThrows(ShapeException.class, () -> Tensor.zeros(4, 3).add(Tensor.zeros(4, 2)));
        assertEquals("add: shapes (4, 3) and (4, 2) are not broadcastable at dim -1 (3 vs 2)", error.getMessage());
        assertTrue(error instanceof IllegalArgumentException);
        assertMessageContains(assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).mul(Tensor.zeros(3, 3))),
                "mul: shapes (2, 3) and (3, 3) are not broadcastable at dim -2 (2 vs 3)");
    }

    @Test
    void broadcastingAlignsOnTheRight() {
        Tensor column = Tensor.of(new float[] {10, 20}).view(2, 1);
        Tensor row = Tensor.of(new float[] {1, 2, 3});
        Tensor sum = column.add(row);
        assertArrayEquals(new int[] {2, 3}, sum.shape());
        assertArrayEquals(new float[] {11, 12, 13, 21, 22, 23}, sum.toArray());
    }
}
