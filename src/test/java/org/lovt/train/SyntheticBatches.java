package org.lovt.train;

import org.lovt.data.PretrainingBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

/** A deterministic batch source for trainer tests: batch content depends only on (seed, epoch, index). */
final class SyntheticBatches implements BatchSource<PretrainingBatch> {
    static final List<String> SENTENCES = List.of("no effusion.", "heart size normal.", "small nodule right.",
            "small nodule left.", "no effusion left.", "heart size normal, no nodule.");
    private final long seed;
    private final int batches;
    private final int batchSize;
    private final int image;
    private boolean sameEveryEpoch;

    /** The same batches in every epoch (for checking that the model can fit them). */
    SyntheticBatches sameEveryEpoch() {
        sameEveryEpoch = true;
        return this;
    }

    SyntheticBatches(long seed, int batches, int batchSize, int image) {
        this.seed = seed;
        this.batches = batches;
        this.batchSize = batchSize;
        this.image = image;
    }

    @Override
    public long batchesPerEpoch() {
        return batches;
    }

    @Override
    public long samplesPerEpoch() {
        return (long) batches * batchSize;
    }

    @Override
    public Iterator<PretrainingBatch> epoch(int epoch, long start) {
        List<PretrainingBatch> out = new ArrayList<>();
        for (long b = start; b < batches; b++) {
            SplittableRandom rnd = new SplittableRandom(seed * 7919 + (sameEveryEpoch ? 0 : epoch) * 104729L + b);
            ByteBuffer buf = ByteBuffer.allocate(batchSize * 3 * image * image * 4).order(ByteOrder.LITTLE_ENDIAN);
            List<List<String>> reports = new ArrayList<>();
            ByteBuffer labels = ByteBuffer.allocate(batchSize * 5 * 4).order(ByteOrder.LITTLE_ENDIAN);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < batchSize; i++) {
                for (int k = 0; k < 3 * image * image; k++) {
                    buf.putFloat((float) rnd.nextGaussian());
                }
                List<String> r = new ArrayList<>();
                int n = 1 + rnd.nextInt(3);
                for (int s = 0; s < n; s++) {
                    r.add(SENTENCES.get(rnd.nextInt(SENTENCES.size())));
                }
                reports.add(r);
                for (int k = 0; k < 5; k++) {
                    labels.putFloat(rnd.nextInt(3) == 0 ? 1f : 0f);
                }
                ids.add("e" + epoch + "b" + b + "i" + i);
            }
            buf.flip();
            labels.flip();
            out.add(new PretrainingBatch(ids, new HostTensor(DType.F32, new long[] {batchSize, 3, image, image}, buf),
                    reports, new HostTensor(DType.F32, new long[] {batchSize, 5}, labels)));
        }
        return out.iterator();
    }
}
