package org.lovt.data;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a {@link DataLoader} reads: a sample by index, produced with the sample's own random stream (augmentation).
 * Implementations are thread-safe, draw randomness only from the stream they are given, and keep to Java memory.
 *
 * @param <T> the example type handed to the collate function
 */
public interface SampleSource<T> {
    /** Number of samples. */
    int size();

    /** Sample {@code index}, using only {@code rnd} for randomness. */
    T load(int index, SplittableRandom rnd);

    /** A short name of sample {@code index} for error messages (an id or a file), cheap to compute. */
    default String describe(int index) {
        return "sample " + index;
    }

    /** A source that maps each dataset sample with {@code map}, describing samples with {@code describe}. */
    static <S, T> SampleSource<T> of(Dataset<S> dataset, BiFunction<S, SplittableRandom, T> map,
                                     Function<S, String> describe) {
        return new SampleSource<>() {
            @Override
            public int size() {
                return dataset.size();
            }

            @Override
            public T load(int index, SplittableRandom rnd) {
                return map.apply(dataset.get(index), rnd);
            }

            @Override
            public String describe(int index) {
                return describe.apply(dataset.get(index));
            }
        };
    }
}
