package org.lovt.torch.dist;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.torch.Tensors;

/** A small MLP and its per-sample data, shared by the data-parallel child processes and the reference. */
final class TwoLayerNet {
    static final int SAMPLES = 10;
    final LinearImpl a;
    final LinearImpl b;

    TwoLayerNet(long seed) {
        torch.manual_seed(seed);
        a = new LinearImpl(6, 5);
        b = new LinearImpl(5, 3);
    }

    TensorVector parameters() {
        TensorVector v = new TensorVector();
        for (LinearImpl l : new LinearImpl[] {a, b}) {
            TensorVector p = l.parameters();
            for (long i = 0; i < p.size(); i++) {
                v.push_back(p.get(i));
            }
        }
        return v;
    }

    /** Mean over the given samples of the squared error; no term couples samples. */
    Tensor loss(int[] samples) {
        float[] x = new float[samples.length * 6];
        float[] y = new float[samples.length * 3];
        for (int k = 0; k < samples.length; k++) {
            int s = samples[k];
            for (int j = 0; j < 6; j++) {
                x[k * 6 + j] = (float) Math.sin(1.3 * s + 0.7 * j);
            }
            for (int j = 0; j < 3; j++) {
                y[k * 3 + j] = (float) Math.cos(0.9 * s - 0.4 * j);
            }
        }
        Tensor out = b.forward(torch.tanh(a.forward(Tensors.floats(x, samples.length, 6))));
        return out.sub(Tensors.floats(y, samples.length, 3)).pow(new org.bytedeco.pytorch.Scalar(2.0)).mean();
    }

    /** All gradients (or all parameters), flattened in parameter order. */
    static float[] flat(TensorVector params, boolean grads) {
        java.util.List<Float> all = new java.util.ArrayList<>();
        for (long i = 0; i < params.size(); i++) {
            Tensor t = grads ? params.get(i).grad() : params.get(i);
            float[] v = new float[(int) t.numel()];
            t.contiguous().data_ptr_float().get(v);
            for (float f : v) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
