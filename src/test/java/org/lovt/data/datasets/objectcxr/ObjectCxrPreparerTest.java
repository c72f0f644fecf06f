package org.lovt.data.datasets.objectcxr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.PrepareResult;

class ObjectCxrPreparerTest {
    @TempDir
    Path tmp;

    @Test
    void annotationsAndTheTwoQuirks() {
        List<ObjectCxrAnnotation> a = ObjectCxrAnnotation.parse("0 2 3 6 11;2 1 2 5 2 5 8;1 10 1 14 4");
        assertEquals(3, a.size());
        assertArrayEquals(new int[] {1, 2, 5, 8}, a.get(1).bounds());
        List<String> clip = new ArrayList<>();
        // Stored as (x1, y1, y2 - y1, x2 - x1): width and height swapped, unless fixed.
        List<Box> quirk = ObjectCxrTargets.boxes(a, 20, 16, false, clip::add);
        assertEquals("2;3;8;4|1;2;6;4|10;1;3;4", Box.boxesField(quirk));
        assertEquals("2;3;4;8|1;2;4;6|10;1;4;3", Box.boxesField(ObjectCxrTargets.boxes(a, 20, 16, true, clip::add)));
        assertEquals(List.of(), clip);

        // A rectangle polygon fills its edges too (cv2.fillPoly): columns 1..5, rows 2..8 = 35 pixels.
        List<ObjectCxrAnnotation> rect = ObjectCxrAnnotation.parse("2 1 2 5 2 5 8 1 8");
        Gray8 fixed = ObjectCxrTargets.mask(rect, 12, 12, true);
        int n = 0;
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                boolean in = x >= 1 && x <= 5 && y >= 2 && y <= 8;
                assertEquals(in ? 1 : 0, fixed.get(y, x), "(" + y + ", " + x + ")");
                n += fixed.get(y, x);
            }
        }
        assertEquals(35, n);
        // The original's polygon mask is the transposed polygon; rectangles and ellipses are not transposed.
        List<ObjectCxrAnnotation> tri = ObjectCxrAnnotation.parse("2 1 2 9 3 4 10;0 0 0 2 1");
        Gray8 q = ObjectCxrTargets.mask(tri, 12, 12, false);
        Gray8 f = ObjectCxrTargets.mask(tri.subList(0, 1), 12, 12, true);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                int rect01 = (y < 1 && x < 2) ? 1 : 0;
                assertEquals(Math.max(f.get(x, y), rect01), q.get(y, x), "(" + y + ", " + x + ")");
            }
        }

        assertThrows(LovtException.class, () -> ObjectCxrAnnotation.parse("3 1 1 2 2"));
        assertThrows(LovtException.class, () -> ObjectCxrAnnotation.parse("0 1 1 2"));
        assertThrows(LovtException.class, () -> ObjectCxrAnnotation.parse("2 1 1 2"));
        assertThrows(LovtException.class, () -> ObjectCxrAnnotation.parse("0 1 1 2 2;"));
        assertThrows(LovtException.class, () -> ObjectCxrAnnotation.parse("0 1 1.5 2 2"));
        assertEquals(List.of(), ObjectCxrAnnotation.parse(""));
    }

    @Test
    void preparesTrainValidationAndDev() {
        Path src = tmp.resolve("object-CXR");
        Fixtures.text(src.resolve("input/train.csv"), "image_name,annotation",
                "t1.jpg,0 2 3 6 11", "t2.jpg,", "t3.jpg,2 1 2 5 2 5 8;1 10 1 14 4", "t4.jpg,0 -5 2 4 6",
                "t5.jpg,3 1 1 2 2");
        Fixtures.text(src.resolve("input/dev.csv"), "image_name,annotation", "d1.jpg,0 1 1 3 3", "d2.jpg,");
        for (String id : new String[] {"t1", "t2", "t3", "t4", "t5"}) {
            Fixtures.image(src.resolve("input/train/" + id + ".jpg"), 20, 16, 1, Fixtures.pattern(20, 16, id.charAt(1)));
        }
        for (String id : new String[] {"d1", "d2"}) {
            Fixtures.image(src.resolve("input/dev/" + id + ".jpg"), 20, 16, 3, Fixtures.pattern(20, 48, id.charAt(1)));
        }
        Path out = tmp.resolve("out");
        PrepareResult r = new ObjectCxrPreparer().prepare(src, PrepareOptions.to(out).withThreads(2));
        // Seed 0: permutation(5) = [2, 0, 1, 3, 4]; validation = the first ceil(0.2 * 5) = 1; test = dev.
        assertEquals(List.of("ID,boxes,classes", "t3,1;2;6;4|10;1;3;4,1|1"), Fixtures.lines(out.resolve(
                "validation.csv")));
        assertEquals(List.of("ID,boxes,classes", "t1,2;3;8;4,1", "t2,,", "t4,0;2;4;4,1"),
                Fixtures.lines(out.resolve("train.csv")));
        assertEquals(List.of("ID,boxes,classes", "d1,1;1;2;2,1", "d2,,"), Fixtures.lines(out.resolve("test.csv")));
        assertEquals(List.of("t5"), r.skipped().stream().map(PrepareReport.Entry::id).toList());
        assertTrue(r.skipped().get(0).message().contains("train.csv:6") && r.skipped().get(0).message()
                .contains("unknown type 3"), r.skipped().toString());
        assertEquals(List.of("t4"), r.warnings().stream().map(PrepareReport.Entry::id).toList());
        // The clipped rectangle is in the mask (the original's negative numpy slice would have dropped it).
        Gray8 m = MaskGif.read(out.resolve("segmentation_masks/t4.gif"));
        assertEquals(1, m.get(2, 0));
        assertEquals(1, m.get(5, 3));
        assertEquals(0, m.get(6, 0));
        assertTrue(Fixtures.json(out.resolve("dataset_statistics.json")).at("/train/patient_ids").isNull());
        assertEquals(3, Fixtures.json(out.resolve("dataset_statistics.json")).at("/train/num_samples").asInt());

        Path fixedOut = tmp.resolve("fixed");
        new ObjectCxrPreparer().prepare(src, PrepareOptions.to(fixedOut).withFixQuirks(true));
        assertEquals(List.of("ID,boxes,classes", "t1,2;3;4;8,1", "t2,,", "t4,0;2;4;4,1"),
                Fixtures.lines(fixedOut.resolve("train.csv")));
    }
}
