package org.lovt.data.datasets.siim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.LevelImage;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.PrepareResult;

class SiimPreparerTest {
    static final int S = 1024;

    @TempDir
    Path tmp;

    @Test
    void rleIsRelativeAndColumnMajor() {
        // "1 3 10 2": pixels 1-3, then 4 + 10 = 14-15; "1030 2": 1030-1031. Flat index p is row p % 1024,
        // column p / 1024.
        byte[] m = SiimRle.decode(List.of("1 3 10 2", " -1", "1030 2"), S);
        int[] rows = {1, 2, 3, 14, 15};
        for (int r : rows) {
            assertEquals(1, m[r * S], "row " + r + " column 0");
        }
        assertEquals(1, m[6 * S + 1]);
        assertEquals(1, m[7 * S + 1]);
        int sum = 0;
        for (byte b : m) {
            sum += b;
        }
        assertEquals(7, sum);
        assertEquals(0, sumOf(SiimRle.decode(List.of("-1"), S)));
        assertTrue(assertThrows(LovtException.class, () -> SiimRle.decode(List.of("1 2 3"), S)).getMessage()
                .contains("not (start, length) pairs"));
        assertTrue(assertThrows(LovtException.class, () -> SiimRle.decode(List.of("1048570 10"), S)).getMessage()
                .contains("past the 1024 x 1024 image"));
        assertThrows(LovtException.class, () -> SiimRle.decode(List.of("1 x"), S));
        assertThrows(LovtException.class, () -> SiimRle.decode(List.of("1 -2"), S));
        assertThrows(LovtException.class, () -> SiimRle.decode(List.of(""), S));
    }

    private static int sumOf(byte[] m) {
        int s = 0;
        for (byte b : m) {
            s += b;
        }
        return s;
    }

    @Test
    void preparesEqualisedImagesRleMasksAndWeights() {
        Path src = tmp.resolve("siim");
        Fixtures.text(src.resolve("train-rle.csv"), "ImageId, EncodedPixels",
                "A, 1 3 10 2", "A, 5 1", "B, 1030 2", "C, -1", "D, 1 2 3", "E, -1", "F, -1");
        Path dcm = src.resolve("dicom-images-train");
        for (String id : new String[] {"A", "B", "C", "D"}) {
            Fixtures.dicom8(dcm.resolve("study-" + id + "/series/" + id + ".dcm"), S, S, Fixtures.pattern(S, S,
                    id.charAt(0)));
        }
        Fixtures.dicom8(dcm.resolve("s/t/F.dcm"), 512, 512, Fixtures.pattern(512, 512, 1));
        Fixtures.dicom8(dcm.resolve("too-shallow.dcm"), 4, 4, new byte[16]);
        Path splits = tmp.resolve("splits");
        Fixtures.text(splits.resolve("train.csv"), "ID", "B", "A", "D");
        Fixtures.text(splits.resolve("validation.csv"), "ID", "C");
        Fixtures.text(splits.resolve("test.csv"), "ID", "E", "F");
        Path out = tmp.resolve("out");
        PrepareResult r = new SiimPreparer().prepare(src, PrepareOptions.to(out).withSplitsFrom(splits)
                .withThreads(2));

        assertEquals(List.of("ID", "B", "A"), Fixtures.lines(out.resolve("train.csv")));
        assertEquals(List.of("ID", "C"), Fixtures.lines(out.resolve("validation.csv")));
        assertEquals(List.of("ID"), Fixtures.lines(out.resolve("test.csv")));
        assertEquals(List.of("D", "E", "F"), r.skipped().stream().map(PrepareReport.Entry::id).toList());
        assertTrue(r.skipped().get(0).message().contains("train-rle.csv: broken RLE"), r.skipped().toString());
        assertTrue(r.skipped().get(1).message().contains("no dicom-images-train/*/*/E.dcm"), r.skipped().toString());
        assertTrue(r.skipped().get(2).message().contains("expected a 1024 x 1024 image, found 512 x 512"));

        Gray8 mask = MaskGif.read(out.resolve("segmentation_masks/A.gif"));
        assertEquals(6, sumOf(mask.pixels()));
        assertEquals(1, mask.pixels()[5 * S]);
        Gray8 img = ImageCodec.read(out.resolve("processed_images/A.png")).toPilLuminance();
        LevelImage.Result eq = LevelImage.ofUint8(new Gray8(S, S, Fixtures.pattern(S, S, 'A'))).equalized();
        assertArrayEquals(eq.image().pixels(), img.pixels());

        JsonNode st = Fixtures.json(out.resolve("dataset_statistics.json"));
        // p = mean(6, 2) / 1024^2 positive pixels; weight = (1 - p) / p.
        double p = (6 + 2) / 2.0 / (S * S);
        assertEquals((1 - p) / p, st.at("/train/segmentation_pos_weights/pneumothorax").asDouble(), 1e-9);
        assertTrue(st.at("/validation/segmentation_pos_weights/pneumothorax").isNull(), "no positive pixel");
        assertEquals(0, st.at("/test/num_samples").asInt());
        assertTrue(st.at("/train/patient_ids").isMissingNode());
    }
}
