package org.lovt.data;

/**
 * Random access to the samples of a prepared data set split. Implementations are safe to call from several loader
 * threads at once and do no randomness of their own (augmentation happens in the loader with per-sample seeds).
 *
 * @param <T> the sample type
 */
public interface Dataset<T> {
    /** Number of samples. */
    int size();

    /** Sample {@code index} (0 ≤ index < size()); unreadable samples raise a {@link org.lovt.LovtException}. */
    T get(int index);
}
