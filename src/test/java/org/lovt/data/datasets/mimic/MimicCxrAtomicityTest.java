package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

/** A failed or refused preparation leaves nothing that looks like a dataset. */
class MimicCxrAtomicityTest {
    @TempDir
    Path tmp;

    private List<Path> entries() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.toList();
        }
    }

    @Test
    void failureMidWayLeavesNoOutputAndNoPartialFolder() throws IOException {
        Path out = tmp.resolve("dataset");
        RuntimeException boom = new IllegalStateException("disk on fire");
        MimicCxrPreparer.Options o = MimicCxrPreparer.Options.of(MimicSample.root(), out).withThreads(2)
                .withProgress((split, done, total, kept) -> {
                    if (split.equals("validation") && done == 2) { // of 4
                        throw boom;
                    }
                });
        RuntimeException e = assertThrows(RuntimeException.class, () -> MimicCxrPreparer.prepare(o));
        assertEquals(boom, e);
        assertFalse(Files.exists(out));
        assertEquals(List.of(), entries(), "the partial folder is removed");
        assertThrows(LovtException.class, () -> MimicCxrDataset.open(out, "train"));
    }

    @Test
    void failureAtTheLastStudyStillLeavesNothing() throws IOException {
        Path out = tmp.resolve("dataset");
        MimicCxrPreparer.Options o = MimicCxrPreparer.Options.of(MimicSample.root(), out).withThreads(1)
                .withProgress((split, done, total, kept) -> {
                    if (split.equals("test") && done == total) {
                        throw new IllegalStateException("interrupted");
                    }
                });
        assertThrows(IllegalStateException.class, () -> MimicCxrPreparer.prepare(o));
        assertEquals(List.of(), entries());
    }

    @Test
    void existingOutputIsNeitherOverwrittenNorTouched() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("dataset"));
        Files.writeString(out.resolve("mine.txt"), "keep me");
        LovtException e = assertThrows(LovtException.class,
                () -> MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(MimicSample.root(), out)));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("keep me", Files.readString(out.resolve("mine.txt")));
        assertEquals(List.of(out), entries());
    }

    @Test
    void unusableSourceFailsBeforeWritingAnything() throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Files.createDirectory(src.resolve("files"));
        LovtException e = assertThrows(LovtException.class,
                () -> MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(src, tmp.resolve("dataset"))));
        assertTrue(e.getMessage().contains("mimic-cxr-2.0.0-split.csv.gz nor mimic-cxr-2.0.0-split.csv"),
                e.getMessage());
        assertEquals(List.of(src), entries());
    }
}
