package org.lovt.torch.dist;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;

/**
 * The sample indices one rank reads in one epoch, with the semantics of PyTorch's
 * {@code torch.utils.data.DistributedSampler}: with {@code shuffle}, a permutation of all indices from libtorch's
 * {@code randperm} with a CPU generator seeded {@code seed + epoch} (the generator and call the sampler uses), else
 * {@code 0 .. n−1}; without {@code dropLast}, padded by repeating its beginning to a multiple of the world size, with
 * it, cut to one; then every {@code worldSize}-th index starting at {@code rank}. Every rank gets the same number of
 * indices, the ranks' shards are disjoint apart from the padding, and together they cover every index.
 */
public final class DistributedShards {
    private DistributedShards() {}

    /** Indices per rank: {@code ceil(n / world)}, or {@code floor(n / world)} with {@code dropLast}. */
    public static int perRank(int n, int worldSize, boolean dropLast) {
        if (dropLast && n % worldSize != 0) {
            return (int) Math.ceil((n - worldSize) / (double) worldSize);
        }
        return (int) Math.ceil(n / (double) worldSize);
    }

    /** This rank's indices into a dataset of {@code n} samples for {@code epoch}. */
    public static int[] indices(int n, int rank, int worldSize, long seed, int epoch, boolean shuffle,
                                boolean dropLast) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new LovtException("rank " + rank + " is not in a world of " + worldSize);
        }
        if (n < 0) {
            throw new LovtException("dataset size must not be negative, got " + n);
        }
        int[] order = new int[n];
        if (shuffle && n > 0) {
            Natives.load();
            try (Scope s = Scope.open()) {
                Generator g = torch.createCPUGenerator(seed + epoch);
                Tensor perm = torch.randperm(n, new GeneratorOptional(g));
                long[] values = new long[n];
                perm.contiguous().data_ptr_long().get(values);
                for (int i = 0; i < n; i++) {
                    order[i] = (int) values[i];
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        int per = perRank(n, worldSize, dropLast);
        int[] out = new int[per];
        for (int k = 0; k < per; k++) {
            int position = rank + k * worldSize; // < per * worldSize
            out[k] = order[position % n]; // padding repeats the order from its start
        }
        return out;
    }
}
