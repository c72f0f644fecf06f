package org.lovt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovt.TestData;
import org.lovt.config.ConfigDefaults;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.text.ReportAugmentationConfig;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.text.ReportAugmentation;

/** {@link PretrainingPipeline} through a {@link DataLoader} on real sample JPEGs (smoke test). */
class DataLoaderPipelineTest {
    private static List<Path> jpegs;

    @BeforeAll
    static void findImages() throws IOException {
        try (Stream<Path> s = Files.walk(TestData.require("data/mimic-cxr-sample/files"))) {
            jpegs = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(24).collect(Collectors.toList());
        }
    }

    /** 12 studies of two views each, 4 sentences and distinct labels. */
    private static Dataset<ScanReportSample> dataset(List<Path> images) {
        List<ScanReportSample> samples = new ArrayList<>();
        for (int i = 0; i < images.size() / 2; i++) {
            samples.add(new ScanReportSample("s" + (50000000 + i), List.of(images.get(2 * i), images.get(2 * i + 1)),
                    List.of("a " + i, "b " + i, "c " + i, "d " + i), new float[] {i % 2, 1, 0, i % 3 == 0 ? 1 : 0, 0}));
        }
        return new Dataset<>() {
            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public ScanReportSample get(int index) {
                return samples.get(index);
            }
        };
    }

    /** Sentence swaps only, so that an augmented report keeps its sentences. */
    private static final ReportAugmentationConfig SWAPS = new ReportAugmentationConfig(true,
            ReportAugmentationConfig.SentenceShuffling.RANDOM_SWAPS, 0.6, null, List.of(0.6, 1.0), false, 0.2);

    private static PretrainingPipeline train() {
        ScanAugmentationConfig sc = ConfigDefaults.of(ScanAugmentationConfig.class);
        ReportAugmentationConfig rc = SWAPS;
        return PretrainingPipeline.train(ScanTransform.train(sc, 224, 0.5, 0.25), new ReportAugmentation(rc),
                ScanImageSource.decoding());
    }

    @Test
    void batchesHaveTheContractShapesAndAreReproducible() {
        Dataset<ScanReportSample> ds = dataset(jpegs);
        List<PretrainingBatch> a = new ArrayList<>();
        try (DataLoader<ScanReportExample, PretrainingBatch> l = train().loader(ds, LoaderOptions.of(5, true, false, 2, 3));
             DataLoader<ScanReportExample, PretrainingBatch>.Epoch it = l.epoch(1)) {
            it.forEachRemaining(a::add);
        }
        assertEquals(3, a.size());
        PretrainingBatch first = a.get(0);
        assertArrayEquals(new long[] {5, 3, 224, 224}, first.scans().shape());
        assertArrayEquals(new long[] {5, 5}, first.chexpert().shape());
        assertEquals(5, first.sentences().size());
        assertEquals(5, first.studyIds().size());
        assertArrayEquals(new long[] {2, 3, 224, 224}, a.get(2).scans().shape());
        // labels travel with their study
        for (int i = 0; i < first.size(); i++) {
            int study = Integer.parseInt(first.studyIds().get(i).substring(1)) - 50000000;
            float[] expected = ds.get(study).chexpert();
            for (int k = 0; k < 5; k++) {
                assertEquals(expected[k], first.chexpert().bytes().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer().get(i * 5 + k));
            }
        }
        try (DataLoader<ScanReportExample, PretrainingBatch> serial = train().loader(ds,
                LoaderOptions.of(5, true, false, 0, 3))) {
            PretrainingBatch b = serial.batch(1, 1);
            assertTrue(b.scans().contentEquals(a.get(1).scans()), "same bytes with 0 and 2 workers");
            assertEquals(a.get(1).sentences(), b.sentences());
            assertEquals(a.get(1).studyIds(), b.studyIds());
            assertTrue(!serial.batch(2, 1).scans().contentEquals(b.scans()), "next epoch differs");
        }
    }

    @Test
    void viewsAreChosenUniformlyInTrainingAndValidation() {
        ScanReportSample s = dataset(jpegs.subList(0, 2)).get(0);
        PretrainingPipeline val = PretrainingPipeline.validation(
                ScanTransform.validation(ConfigDefaults.of(ScanAugmentationConfig.class), 64, 0.5, 0.25),
                ScanImageSource.decoding());
        int[] counts = new int[2];
        for (int seed = 0; seed < 40; seed++) {
            ScanReportExample e = val.apply(s, new SplittableRandom(seed));
            counts[e.viewIndex()]++;
            assertEquals(s.images().get(e.viewIndex()), e.image());
            assertEquals(s.sentences(), e.sentences(), "validation keeps the full report");
        }
        assertTrue(counts[0] > 8 && counts[1] > 8, "both views are used: " + counts[0] + "/" + counts[1]);
    }

    @Test
    void trainingAugmentsTheReport() {
        ScanReportSample s = dataset(jpegs.subList(0, 2)).get(0);
        Set<List<String>> reports = new HashSet<>();
        PretrainingPipeline p = train();
        for (int seed = 0; seed < 12; seed++) {
            reports.add(p.apply(s, new SplittableRandom(seed)).sentences());
        }
        assertTrue(reports.size() > 1, "sentence order varies");
        reports.forEach(r -> assertEquals(Set.copyOf(s.sentences()), Set.copyOf(r)));
    }

    @Test
    void aBrokenImageIsNamedWithItsStudyAndSample(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.jpg");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        List<Path> images = new ArrayList<>(jpegs.subList(0, 6));
        images.set(3, bad);
        images.set(2, bad); // study 1 has only the broken file
        try (DataLoader<ScanReportExample, PretrainingBatch> l = train().loader(dataset(images),
                LoaderOptions.of(2, false, false, 2, 0))) {
            DataLoaderException e = assertThrows(DataLoaderException.class, () -> l.epoch(0).next());
            assertEquals(1, e.sampleIndex());
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("s50000001"), e.getMessage());
        }
    }

    @Test
    void scanAndReportStreamsAreIndependent() {
        ScanReportSample s = dataset(jpegs.subList(0, 2)).get(0);
        ScanAugmentationConfig sc = ConfigDefaults.of(ScanAugmentationConfig.class);
        ReportAugmentationConfig rc = SWAPS;
        PretrainingPipeline withReport = train();
        PretrainingPipeline noReportAug = PretrainingPipeline.train(ScanTransform.train(sc, 224, 0.5, 0.25),
                new ReportAugmentation(new ReportAugmentationConfig(false, rc.sentenceShuffling(), rc.swapProb(),
                        rc.sentenceSampling(), rc.sentenceCropRange(), rc.duplicateSentences(), rc.duplicationProb())),
                ScanImageSource.decoding());
        ScanReportExample a = withReport.apply(s, new SplittableRandom(3));
        ScanReportExample b = noReportAug.apply(s, new SplittableRandom(3));
        assertArrayEquals(a.scan(), b.scan(), "turning the report augmentation off leaves the scans unchanged");
        assertNotEquals(0, a.scan().length);
    }
}
