package org.lovt.data.datasets.prepare;

/**
 * numpy's legacy global generator ({@code np.random.seed(s)}, {@code np.random.permutation(n)},
 * {@code np.random.choice(n, k, replace=False)}): MT19937 seeded with {@code init_genrand(s)} and the
 * Fisher-Yates shuffle of {@code RandomState.shuffle}, which draws with {@code random_interval} (a masked 32-bit
 * draw, rejected until it is at most the bound).
 *
 * <p>Why reproduce it: the original preparation scripts split with {@code np.random.permutation} (directly, through
 * pandas' {@code DataFrame.sample} and through sklearn's {@code train_test_split}) after
 * {@code seed_everything(seed)}, so with the same seed and the same input order this class gives the same splits
 * as the original run with {@code --seed}. Not thread-safe; one instance per preparation.
 */
public final class NumpyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int pos;

    /** {@code np.random.seed(seed)} for a seed in [0, 2^32). */
    public NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("numpy seeds lie in [0, 2^32 - 1], not " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** The next 32 random bits ({@code genrand_int32}), as an unsigned value. */
    public long nextUint32() {
        if (pos >= N) {
            twist();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFFFFFFL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int next = mt[(i + M) % N] ^ (y >>> 1);
            mt[i] = (y & 1) != 0 ? next ^ 0x9908b0df : next;
        }
        pos = 0;
    }

    /** {@code random_interval(max)}: uniform in [0, max] by masked rejection, as numpy draws it. */
    long interval(long max) {
        if (max == 0) {
            return 0;
        }
        if (max > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("bounds above 2^32 - 1 are not needed here: " + max);
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /** {@code np.random.permutation(n)}. */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** {@code np.random.choice(n, k, replace=False)} without weights: the first k of a permutation of n. */
    public int[] choiceWithoutReplacement(int n, int k) {
        if (k > n) {
            throw new IllegalArgumentException("cannot take " + k + " of " + n + " without replacement");
        }
        return java.util.Arrays.copyOf(permutation(n), k);
    }
}
