package org.lovt.data.datasets.covid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.prepare.DecodedImage;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.PrepareResult;
import org.lovt.data.datasets.prepare.SplitName;

class CovidRuralPreparerTest {
    static final int W = 12;
    static final int H = 10;

    @TempDir
    Path tmp;
    Path src;

    @BeforeEach
    void source() throws Exception {
        src = tmp.resolve("covid_rural_annot");
        String[] names = {"1_a", "1_b", "2_a", "3_a", "4_a", "5_a", "6_a", "7_a"};
        for (int k = 0; k < names.length; k++) {
            String id = "COVID-19-AR-" + names[k] + "-XR";
            byte[] bgr = new byte[W * H * 3];
            for (int i = 0; i < bgr.length; i++) {
                bgr[i] = (byte) ((i * 7 + k * 31) % 256);
            }
            Fixtures.image(src.resolve("jpgs/" + id + ".jpg"), W, H, 3, bgr);
            byte[] mask = new byte[W * H];
            for (int i = 0; i < 10 + k; i++) {
                mask[i] = 1;
            }
            if (names[k].equals("3_a")) {
                continue; // no mask
            }
            if (names[k].equals("4_a")) {
                mask[5] = 2;
            }
            Gray8 m = names[k].equals("5_a") ? new Gray8(W, H + 1, new byte[W * (H + 1)]) : new Gray8(W, H, mask);
            Fixtures.grayPng(src.resolve("pngs_masks/" + id + ".png"), m);
        }
        Path bad = src.resolve("jpgs/COVID-19-AR-6_a-XR.jpg");
        byte[] b = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(b, b.length - 30));
        Fixtures.text(src.resolve("jpgs/notes.jpg"), "not an image");
    }

    @Test
    void preparesByPatientWithMasksAndFloat32Weights() throws Exception {
        Path out = tmp.resolve("out");
        PrepareResult r = new CovidRuralPreparer().prepare(src, PrepareOptions.to(out).withThreads(2));
        assertEquals(List.of("COVID-19-AR-3_a-XR", "COVID-19-AR-4_a-XR", "COVID-19-AR-5_a-XR", "COVID-19-AR-6_a-XR",
                "notes"), r.skipped().stream().map(PrepareReport.Entry::id).toList());
        assertTrue(r.skipped().get(1).message().contains("mask value 2"), r.skipped().toString());
        assertTrue(r.skipped().get(2).message().contains("mask is 12 x 11 but the image is 12 x 10"));
        assertTrue(r.skipped().get(3).message().contains("truncated JPEG"));

        // Patients never straddle splits.
        Set<String> seen = new HashSet<>();
        for (SplitName s : SplitName.values()) {
            Set<String> here = new HashSet<>();
            for (String line : Fixtures.lines(out.resolve(s.csvName())).subList(1,
                    Fixtures.lines(out.resolve(s.csvName())).size())) {
                here.add(line.split("_")[0]);
            }
            for (String p : here) {
                assertTrue(seen.add(p), p + " in two splits");
            }
        }
        assertEquals(4, r.splitSizes().values().stream().mapToInt(Integer::intValue).sum());

        // The processed image is the equalised channel mean, stored as JPEG (grey, same size); the mask is copied.
        String id = "COVID-19-AR-1_a-XR";
        DecodedImage jpg = ImageCodec.read(out.resolve("processed_images/" + id + ".jpg"));
        assertEquals(1, jpg.channels());
        assertEquals(W, jpg.width());
        assertArrayEquals(Files.readAllBytes(src.resolve("pngs_masks/" + id + ".png")),
                Files.readAllBytes(out.resolve("pngs_masks/" + id + ".png")));
    }

    @Test
    void statisticsFromSplitFiles() {
        Path splits = tmp.resolve("splits");
        Fixtures.text(splits.resolve("train.csv"), "ID", "COVID-19-AR-2_a-XR", "COVID-19-AR-1_a-XR",
                "COVID-19-AR-1_b-XR");
        Fixtures.text(splits.resolve("validation.csv"), "ID", "COVID-19-AR-7_a-XR");
        Fixtures.text(splits.resolve("test.csv"), "ID");
        Path out = tmp.resolve("out");
        new CovidRuralPreparer().prepare(src, PrepareOptions.to(out).withSplitsFrom(splits));
        JsonNode st = Fixtures.json(out.resolve("dataset_statistics.json"));
        assertEquals("[\"COVID-19-AR-2\",\"COVID-19-AR-1\"]", st.at("/train/patient_ids").toString());
        // Negative fractions 1 - (10 + k) / 120 for k = 2, 0, 1, each in float32, averaged, kept in float32.
        float expected = (float) (((double) (float) (1f - 12f / 120f) + (float) (1f - 10f / 120f)
                + (float) (1f - 11f / 120f)) / 3);
        assertEquals(expected, st.at("/train/segmentation_pos_weights/opacity").asDouble(), 0.0);
        assertTrue(st.at("/test/segmentation_pos_weights/opacity").isNull());
    }
}
