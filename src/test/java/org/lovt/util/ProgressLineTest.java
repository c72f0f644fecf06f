package org.lovt.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
    @Test
    void textHasCountPercentRateEtaAndDetails() {
        assertEquals("rsna: 1,234/26,684 images (4.6%), 85.3 images/s, ETA 0:04:58",
                ProgressLine.text("rsna", 1234, 26684, "images", 1234 / 85.3, ""));
        assertEquals("train: 100/400 studies (25.0%), 10.0 studies/s, ETA 0:00:30, 97 kept",
                ProgressLine.text("train", 100, 400, "studies", 10, "97 kept"));
        // Nothing done yet: no rate, so no ETA; an unknown total: neither percentage nor ETA.
        assertEquals("x: 0/5 steps (0.0%), 0.0 steps/s, ETA ?", ProgressLine.text("x", 0, 5, "steps", 0, null));
        assertEquals("x: 7 steps, 3.5 steps/s", ProgressLine.text("x", 7, -1, "steps", 2, ""));
        assertEquals("1:01:01", ProgressLine.duration(3661));
    }

    @Test
    void logModePrintsOneLinePerUpdateAndAFinalOne() {
        StringWriter w = new StringWriter();
        ProgressLine p = new ProgressLine("x", 3, "images", new PrintWriter(w), false, Duration.ZERO);
        p.step();
        p.step();
        p.finish();
        p.finish(); // printed once only
        p.step();
        String[] lines = w.toString().split(System.lineSeparator());
        assertEquals(3, lines.length, w.toString());
        assertTrue(lines[0].startsWith("x: 1/3 images (33.3%), "), lines[0]);
        assertTrue(lines[2].startsWith("x: 2/3 images (66.7%), "), lines[2]);
        assertEquals(3, p.done()); // still counted after the end, but not printed
    }

    @Test
    void aPhaseChangeIsShownAtOnceWhateverTheInterval() {
        StringWriter w = new StringWriter();
        ProgressLine p = new ProgressLine("epoch 1/3", 10, "batches", new PrintWriter(w), false, Duration.ofHours(1));
        p.update(10, "loss 0.5");
        assertEquals("", w.toString());
        p.show("validating");
        assertTrue(w.toString().startsWith("epoch 1/3: 10/10 batches (100.0%)"), w.toString());
        assertTrue(w.toString().endsWith(", validating" + System.lineSeparator()), w.toString());
        p.finish("val/loss 1.0");
        assertTrue(w.toString().endsWith(", val/loss 1.0" + System.lineSeparator()), "the last line still follows");
    }

    @Test
    void theIntervalLimitsPrintingButNotTheLastLine() {
        StringWriter w = new StringWriter();
        ProgressLine p = new ProgressLine("x", 1000, "images", new PrintWriter(w), false, Duration.ofHours(1));
        for (int i = 0; i < 1000; i++) {
            p.step();
        }
        assertEquals("", w.toString());
        p.finish("done");
        assertTrue(w.toString().startsWith("x: 1,000/1,000 images (100.0%), "), w.toString());
        assertTrue(w.toString().endsWith(", done" + System.lineSeparator()), w.toString());
    }

    @Test
    void inPlaceRedrawsWithCarriageReturnsAndBlanksOutLongerLines() {
        StringWriter w = new StringWriter();
        ProgressLine p = new ProgressLine("x", 10, "steps", new PrintWriter(w), true, Duration.ZERO);
        p.update(1, "a long detail");
        p.update(2, "b");
        p.finish(10, "c");
        String s = w.toString();
        assertEquals(3, s.chars().filter(c -> c == '\r').count(), s);
        assertTrue(s.endsWith(", c\n"), s);
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), s);
        List<String> draws = new ArrayList<>(List.of(s.substring(1).split("\r")));
        // Each redraw is at least as long as the one before it, so nothing of an older line is left visible.
        assertTrue(draws.get(1).length() >= draws.get(0).length(), draws.toString());
        assertTrue(draws.get(1).startsWith("x: 2/10 steps") && draws.get(1).stripTrailing().endsWith(", b"),
                draws.toString());
        assertTrue(draws.get(2).startsWith("x: 10/10 steps (100.0%)"), draws.toString());
    }

    @Test
    void workersCountConcurrently() throws InterruptedException {
        ProgressLine p = new ProgressLine("x", 40_000, "images", null, false, Duration.ZERO);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    p.step();
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(40_000, p.done());
        assertTrue(p.rate() > 0);
    }
}
