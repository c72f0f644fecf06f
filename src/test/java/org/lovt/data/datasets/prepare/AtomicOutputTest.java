package org.lovt.data.datasets.prepare;

import org.lovt.util.StagingDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure in the middle of a preparation leaves neither the output folder nor its staging folder. */
class AtomicOutputTest {
    @TempDir
    Path tmp;

    /** A preparer of strings that writes one file per sample and dies (not bad input: a bug) on "boom". */
    static final class Dying extends DownstreamPreparer<String> {
        @Override
        public String name() {
            return "dying";
        }

        @Override
        protected List<String> readSamples(Path src, PrepareOptions o, PrepareReport r) {
            return List.of("a", "b", "c", "boom", "d", "e", "f", "g");
        }

        @Override
        protected Splits<String> randomSplits(Path src, List<String> s, PrepareOptions o, PrepareReport r) {
            return Splits.byIndices(s, 0.25, 0.25, o.random());
        }

        @Override
        protected String id(String s) {
            return s;
        }

        @Override
        protected String sourceFile(Path src, String s) {
            return s;
        }

        @Override
        protected void createFolders(StagingDir out) {
            out.mkdirs("images");
        }

        @Override
        protected Processed process(Path src, String s, Path out, PrepareOptions o, PrepareReport r) {
            if (s.equals("boom")) {
                throw new IllegalStateException("simulated crash while preparing " + s);
            }
            ImageCodec.write(out.resolve("images").resolve(s + ".png"),
                    ImageCodec.encodePng(new Gray8(2, 2, new byte[4])));
            return Processed.of(new ImageStats(0.5, 0.1));
        }

        @Override
        protected boolean detectionCsv() {
            return false;
        }

        @Override
        protected void addStatistics(ObjectNode stats, List<Done<String>> done) {}
    }

    @Test
    void crashMidwayLeavesNothingThatLooksPrepared() throws Exception {
        Path out = tmp.resolve("prepared");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Dying().prepare(tmp, PrepareOptions.to(out).withThreads(2)));
        assertEquals("simulated crash while preparing boom", e.getMessage());
        assertFalse(Files.exists(out));
        try (var l = Files.list(tmp)) {
            assertEquals(List.of(), l.toList(), "the staging folder is removed too");
        }
    }
}
