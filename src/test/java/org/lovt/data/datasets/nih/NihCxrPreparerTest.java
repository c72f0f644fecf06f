package org.lovt.data.datasets.nih;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.LevelImage;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.PrepareResult;
import org.lovt.data.datasets.prepare.SplitName;

class NihCxrPreparerTest {
    static final int S = 16;

    @TempDir
    Path tmp;
    Path src;

    @BeforeEach
    void source() {
        src = tmp.resolve("nih");
        Fixtures.text(src.resolve("BBox_List_2017.csv"), "Image Index,Finding Label,Bbox [x,y,w,h],,,",
                "00000001_000.png,Atelectasis,1.5,2.25,4,3,,,",
                "00000001_000.png,Nodule,10,10,2.5,2.5,,,",
                "00000002_000.png,Infiltrate,0,0,16,16,,,",
                "00000003_000.png,Mass,3,3,20,2,,,",
                "00000003_001.png,Cardiomegaly,1,1,2,2,,,",
                "00000004_000.png,Hernia,1,1,1,1,,,");
        Fixtures.text(src.resolve("Data_Entry_2017_v2020.csv"), "Image Index,Finding Labels,Follow-up #",
                "00000005_000.png,No Finding,0", "00000006_000.png,No Finding,0", "00000007_000.png,Effusion,0",
                "00000008_000.png,No Finding,0");
        Fixtures.text(src.resolve("test_list.txt"), "00000005_000.png", "00000006_000.png", "00000007_000.png");
        String[] ids = {"00000001_000", "00000003_000", "00000003_001", "00000004_000", "00000005_000",
                "00000006_000"};
        for (int k = 0; k < ids.length; k++) {
            Fixtures.image(src.resolve("images/images_0" + (k % 2 + 1) + "/images/" + ids[k] + ".png"), S, S, 1,
                    Fixtures.pattern(S, S, k));
        }
        // An RGBA image (some NIH PNGs are): Pillow's L ignores alpha.
        byte[] bgra = new byte[S * S * 4];
        for (int i = 0; i < S * S; i++) {
            bgra[4 * i] = (byte) i;
            bgra[4 * i + 1] = (byte) (2 * i);
            bgra[4 * i + 2] = (byte) (3 * i);
            bgra[4 * i + 3] = (byte) 200;
        }
        Fixtures.image(src.resolve("images/images_12/images/00000002_000.png"), S, S, 4, bgra);
    }

    @Test
    void preparesEightClassMasksAndPatientSplits() throws Exception {
        Path out = tmp.resolve("out");
        PrepareResult r = new NihCxrPreparer(2).prepare(src, PrepareOptions.to(out).withThreads(2));
        assertEquals(List.of("00000004_000"), r.skipped().stream().map(PrepareReport.Entry::id).toList());
        assertTrue(r.skipped().get(0).message().contains("unknown Finding Label 'Hernia'"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.id().equals("00000003_000")
                && w.message().contains("clipped to 3.0;3.0;13.0;2.0")), r.warnings().toString());

        List<String> rows = new ArrayList<>();
        for (SplitName s : SplitName.values()) {
            List<String> l = Fixtures.lines(out.resolve(s.csvName()));
            rows.addAll(l.subList(1, l.size()));
        }
        assertTrue(rows.contains("00000001_000,1.5;2.25;4.0;3.0|10.0;10.0;2.5;2.5,0|5"), rows.toString());
        assertTrue(rows.contains("00000005_000,,") && rows.contains("00000006_000,,"), rows.toString());
        assertEquals(6, rows.size());

        // Eight masks per image, each from its own class's boxes: Atelectasis rows round(2.25)=2..round(5.25)=5,
        // columns round(1.5)=2..round(5.5)=6; Nodule rows and columns 10..round(12.5)=12.
        byte[] atel = new byte[S * S];
        for (int y = 2; y < 5; y++) {
            for (int x = 2; x < 6; x++) {
                atel[y * S + x] = 1;
            }
        }
        assertArrayEquals(atel, MaskGif.read(out.resolve("segmentation_masks/Atelectasis/00000001_000.gif")).pixels());
        Gray8 nodule = MaskGif.read(out.resolve("segmentation_masks/Nodule/00000001_000.gif"));
        assertEquals(1, nodule.get(11, 11));
        assertEquals(0, nodule.get(12, 11));
        assertArrayEquals(new byte[S * S], MaskGif.read(out.resolve("segmentation_masks/Mass/00000001_000.gif"))
                .pixels());
        try (var l = Files.list(out.resolve("segmentation_masks"))) {
            assertEquals(8, l.count());
        }

        // The RGBA image: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16, then equalised.
        byte[] lum = new byte[S * S];
        for (int i = 0; i < S * S; i++) {
            int b = i & 0xFF;
            int g = (2 * i) & 0xFF;
            int rr = (3 * i) & 0xFF;
            lum[i] = (byte) ((rr * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        assertArrayEquals(LevelImage.ofUint8(new Gray8(S, S, lum)).equalized().image().pixels(),
                ImageCodec.read(out.resolve("processed_images/00000002_000.png")).toPilLuminance().pixels());

        // Patient ids are integers; annotated images come before the No Finding ones in each split.
        JsonNode st = Fixtures.json(out.resolve("dataset_statistics.json"));
        for (SplitName s : SplitName.values()) {
            for (JsonNode id : st.at("/" + s.key() + "/patient_ids")) {
                assertTrue(id.isInt(), id.toString());
            }
            List<String> l = Fixtures.lines(out.resolve(s.csvName()));
            boolean empty = false;
            for (String row : l.subList(1, l.size())) {
                boolean e = row.endsWith(",,") && row.compareTo("00000005") > 0;
                assertTrue(!empty || e, "No Finding images come last: " + l);
                empty |= e;
            }
        }
        // Same seed, same result.
        Path again = tmp.resolve("again");
        new NihCxrPreparer(2).prepare(src, PrepareOptions.to(again).withThreads(1));
        for (SplitName s : SplitName.values()) {
            assertEquals(Fixtures.lines(out.resolve(s.csvName())), Fixtures.lines(again.resolve(s.csvName())));
        }
    }

    @Test
    void splitFilesGivePatientRunsAsTheOriginal() {
        Path splits = tmp.resolve("splits");
        Fixtures.text(splits.resolve("train.csv"), "ID,boxes,classes", "00000003_000,,", "00000003_001,,",
                "00000001_000,,", "00000003_000x,,", "00000005_000,,", "00000003_002,,");
        Fixtures.text(splits.resolve("validation.csv"), "ID,boxes,classes", "00000002_000,,");
        Fixtures.text(splits.resolve("test.csv"), "ID,boxes,classes", "00000006_000,,");
        Path out = tmp.resolve("out");
        // Data_Entry and test_list are not needed with split files.
        PrepareResult r = new NihCxrPreparer().prepare(src, PrepareOptions.to(out).withSplitsFrom(splits));
        JsonNode st = Fixtures.json(out.resolve("dataset_statistics.json"));
        assertEquals("[3,1,5]", st.at("/train/patient_ids").toString());
        assertEquals(List.of("00000003_000x", "00000003_002"), r.skipped().stream().map(PrepareReport.Entry::id)
                .toList());
        assertTrue(r.skipped().get(1).message().contains("no images/images_NN/images/00000003_002.png"));
    }
}
