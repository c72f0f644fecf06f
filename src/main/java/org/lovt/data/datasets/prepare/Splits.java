package org.lovt.data.datasets.prepare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Train/validation/test membership and order of a data set's samples. The order matters: subsets are prefixes of the
 * stored order (spec §0), and the random splits store samples in the order of the permutation, as the original does.
 *
 * <p>The random splits reproduce the original's helpers draw for draw ({@link NumpyRandom}), so a seed gives the
 * same split as the original script run with {@code --seed} on the same samples in the same order.
 *
 * @param <S> the sample type
 */
public final class Splits<S> {
    private final EnumMap<SplitName, List<S>> splits;

    /** Splits from explicit lists (each kept in its order). */
    public Splits(Map<SplitName, List<S>> splits) {
        this.splits = new EnumMap<>(SplitName.class);
        for (SplitName s : SplitName.values()) {
            this.splits.put(s, List.copyOf(splits.getOrDefault(s, List.of())));
        }
    }

    /** The samples of one split, in stored order. */
    public List<S> get(SplitName split) {
        return splits.get(split);
    }

    /** All samples: train, then validation, then test. */
    public List<S> all() {
        List<S> all = new ArrayList<>();
        for (SplitName s : SplitName.values()) {
            all.addAll(splits.get(s));
        }
        return all;
    }

    /**
     * {@code random_split_indices(N, test, val)} (RSNA, SIIM): a permutation of the samples; its first
     * {@code round(test * N)} are test, the next {@code round(val * N)} validation, the rest train.
     */
    public static <S> Splits<S> byIndices(List<S> samples, double test, double val, NumpyRandom rng) {
        int n = samples.size();
        int[] perm = rng.permutation(n);
        int numTest = (int) Math.rint(test * n);
        int numVal = (int) Math.rint(val * n);
        checkFits(numTest + numVal, n);
        EnumMap<SplitName, List<S>> m = new EnumMap<>(SplitName.class);
        m.put(SplitName.TEST, pick(samples, perm, 0, numTest));
        m.put(SplitName.VALIDATION, pick(samples, perm, numTest, numTest + numVal));
        m.put(SplitName.TRAIN, pick(samples, perm, numTest + numVal, n));
        return new Splits<>(m);
    }

    /**
     * sklearn's {@code train_test_split(samples, test_size=val)} (Object-CXR): a permutation; its first
     * {@code ceil(val * N)} are validation, the rest train; no test split (the caller adds it).
     */
    public static <S> Splits<S> trainValidation(List<S> samples, double val, NumpyRandom rng) {
        int n = samples.size();
        int[] perm = rng.permutation(n);
        int numVal = (int) Math.ceil(val * n);
        checkFits(numVal, n);
        EnumMap<SplitName, List<S>> m = new EnumMap<>(SplitName.class);
        m.put(SplitName.VALIDATION, pick(samples, perm, 0, numVal));
        m.put(SplitName.TRAIN, pick(samples, perm, numVal, n));
        return new Splits<>(m);
    }

    /**
     * The patient-wise split of COVID and NIH: patients (in order of first appearance) are permuted; whole patients
     * go to test until it holds at least {@code round(test * N)} samples, then to validation until it holds at least
     * {@code round(val * N)}; the remaining patients are train. Within a split, samples are grouped by patient in
     * permutation order, each patient's samples in their original order.
     */
    public static <S> Splits<S> byPatients(List<S> samples, Function<S, String> patientOf, double test, double val,
                                           NumpyRandom rng) {
        LinkedHashMap<String, List<S>> byPatient = new LinkedHashMap<>();
        for (S s : samples) {
            byPatient.computeIfAbsent(patientOf.apply(s), k -> new ArrayList<>()).add(s);
        }
        List<List<S>> patients = new ArrayList<>(byPatient.values());
        int n = samples.size();
        int[] perm = rng.permutation(patients.size());
        int i = 0;
        List<S> testSamples = new ArrayList<>();
        while (testSamples.size() < Math.rint(test * n) && i < perm.length) {
            testSamples.addAll(patients.get(perm[i++]));
        }
        List<S> valSamples = new ArrayList<>();
        while (valSamples.size() < Math.rint(val * n) && i < perm.length) {
            valSamples.addAll(patients.get(perm[i++]));
        }
        List<S> trainSamples = new ArrayList<>();
        for (; i < perm.length; i++) {
            trainSamples.addAll(patients.get(perm[i]));
        }
        EnumMap<SplitName, List<S>> m = new EnumMap<>(SplitName.class);
        m.put(SplitName.TRAIN, trainSamples);
        m.put(SplitName.VALIDATION, valSamples);
        m.put(SplitName.TEST, testSamples);
        return new Splits<>(m);
    }

    /** These splits with {@code other}'s samples appended to each split (NIH's "No Finding" images). */
    public Splits<S> append(Splits<S> other) {
        EnumMap<SplitName, List<S>> m = new EnumMap<>(SplitName.class);
        for (SplitName s : SplitName.values()) {
            List<S> l = new ArrayList<>(get(s));
            l.addAll(other.get(s));
            m.put(s, l);
        }
        return new Splits<>(m);
    }

    /** These splits with the test split replaced. */
    public Splits<S> withTest(List<S> test) {
        EnumMap<SplitName, List<S>> m = new EnumMap<>(splits);
        m.put(SplitName.TEST, test);
        return new Splits<>(m);
    }

    private static <S> List<S> pick(List<S> samples, int[] perm, int from, int to) {
        List<S> out = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            out.add(samples.get(perm[i]));
        }
        return Collections.unmodifiableList(out);
    }

    private static void checkFits(int held, int n) {
        if (held > n) {
            throw new org.lovt.LovtException("the validation and test fractions take " + held + " of only " + n
                    + " samples");
        }
    }
}
