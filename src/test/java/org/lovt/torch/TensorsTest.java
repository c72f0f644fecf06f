package org.lovt.torch;

import java.nio.ByteBuffer;
import java.util.Random;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorsTest {

    @Test
    void everyDtypeRoundTripsThroughLibtorchBitExactly() {
        Random rnd = new Random(3);
        try (Scope s = Scope.open()) {
            for (DType d : DType.values()) {
                long[] shape = {2, 3, 5};
                byte[] b = new byte[(int) HostTensor.byteLength(d, shape)];
                rnd.nextBytes(b);
                if (d == DType.BOOL) {
                    for (int i = 0; i < b.length; i++) {
                        b[i] &= 1;
                    }
                }
                HostTensor h = new HostTensor(d, shape, ByteBuffer.wrap(b));
                Tensor t = Tensors.fromHost(h);
                assertEquals(d, Tensors.dtype(t), "dtype of " + d);
                assertArrayEquals(shape, Tensors.shape(t));
                assertTrue(h.contentEquals(Tensors.toHost(t)), "bytes of " + d);
            }
        }
    }

    @Test
    void toHostMakesNonContiguousTensorsContiguous() {
        try (Scope s = Scope.open()) {
            Tensor t = Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t();   // (3, 2) transposed view
            HostTensor h = Tensors.toHost(t);
            assertArrayEquals(new long[] {3, 2}, h.shape());
            float[] got = new float[6];
            h.bytes().asFloatBuffer().get(got);
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, got);
        }
    }

    @Test
    void javaArraysConvertBothWays() {
        try (Scope s = Scope.open()) {
            Tensor f = Tensors.floats(new float[] {1.5f, -2f, 3f, 0f}, 2, 2);
            assertEquals(2.5, f.sum().item_double(), 1e-6, "libtorch sees the values");
            assertArrayEquals(new float[] {1.5f, -2f, 3f, 0f}, Tensors.toFloats(f));
            assertArrayEquals(new long[] {1, -2, 3, 0}, Tensors.toLongs(f), "converted to int64");
            Tensor l = Tensors.longs(new long[] {Long.MAX_VALUE, -1}, 2);
            assertArrayEquals(new long[] {Long.MAX_VALUE, -1}, Tensors.toLongs(l));
            Tensor d = Tensors.doubles(new double[] {Math.PI}, 1);
            assertEquals(Math.PI, Tensors.toDoubles(d)[0], 0.0);
            Tensor i = Tensors.ints(new int[] {7, 8, 9}, 3);
            assertEquals(24, i.sum().item_long());
            Tensor b = Tensors.bools(new boolean[] {true, false, true}, 3);
            assertEquals(2, b.sum().item_long());
            Tensor empty = Tensors.floats(new float[0], 0, 4);
            assertArrayEquals(new long[] {0, 4}, Tensors.shape(empty));
        }
    }

    @Test
    void wrongArrayLengthIsRejectedWithTheShape() {
        var e = assertThrows(LovtException.class, () -> Tensors.floats(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("5 elements"), e.getMessage());
    }

    @Test
    void seedingReproducesPyTorchsCpuGenerator() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(1234);
            float[] r = Tensors.toFloats(torch.randn(5));
            // torch.manual_seed(1234); torch.randn(5) in Python (libtorch-java.md §1)
            assertArrayEquals(new float[] {0.0461f, 0.4024f, -1.0115f, 0.2167f, -0.6123f}, r, 1e-4f);
            Seeds.manualSeed(1234);
            assertArrayEquals(r, Tensors.toFloats(torch.randn(5)));
        }
        assertEquals(Seeds.javaRandom(5, "loader").nextLong(), Seeds.javaRandom(5, "loader").nextLong());
        assertTrue(Seeds.javaRandom(5, "loader").nextLong() != Seeds.javaRandom(5, "augment").nextLong());
    }

    @Test
    void deviceSelectionFallsBackToCpuAndRejectsMissingCuda() {
        assertEquals("cpu", Devices.name(Devices.parse("cpu")));
        if (!Devices.cudaAvailable()) {
            assertEquals("cpu", Devices.name(Devices.best()));
            var e = assertThrows(LovtException.class, () -> Devices.parse("cuda:0"));
            assertTrue(e.getMessage().contains("0 CUDA device"), e.getMessage());
        }
        assertThrows(LovtException.class, () -> Devices.parse("tpu"));
    }
}
