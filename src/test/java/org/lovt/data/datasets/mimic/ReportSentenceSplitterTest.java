package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Sentence splitting and cleaning of report sections (spec lovt-data-eval §1.3), on clinical text. */
class ReportSentenceSplitterTest {
    private final ReportSentenceSplitter splitter = new ReportSentenceSplitter();

    private List<String> split(String text) {
        return splitter.sentences(text);
    }

    @Test
    void cleaningFollowsTheOriginalRegexes() {
        assertEquals("a b c", ReportSentenceSplitter.cleanText("  a\n   b\t\tc \n"));
        assertEquals("a b", ReportSentenceSplitter.cleanText("a \t\r\n \r\n\n b"));
        assertEquals("a b", ReportSentenceSplitter.cleanText("a\r\nb"));
        // Python's strip() removes U+00A0 and U+2028; [\t ]+ does not touch them inside the text.
        assertEquals("a\u00a0b", ReportSentenceSplitter.cleanText("\u00a0a\u00a0b\u2028"));
        assertEquals("", ReportSentenceSplitter.cleanText(" \n \n "));
    }

    @Test
    void wrappedLinesAreJoinedAndBlankLinesEndSentences() {
        String findings = "\n \n PA and lateral views of the chest provided. There is no focal\n consolidation,"
                + " effusion, or pneumothorax.\n \n The cardiomediastinal silhouette is normal\n \n"
                + " Imaged osseous structures are intact.\n ";
        assertEquals(List.of("PA and lateral views of the chest provided.",
                "There is no focal consolidation, effusion, or pneumothorax.",
                "The cardiomediastinal silhouette is normal",
                "Imaged osseous structures are intact."), split(findings));
    }

    @Test
    void emptySectionHasNoSentencesAndNoTokens() {
        assertEquals(new ReportSentenceSplitter.Result(List.of(), 0), splitter.split(""));
        assertEquals(new ReportSentenceSplitter.Result(List.of(), 0), splitter.split(" \n \n "));
    }

    @Test
    void abbreviationsDecimalsAndTimesDoNotEndSentences() {
        assertEquals(List.of("Findings were discussed with Dr. ___ by telephone at 10:15 a.m. on ___.",
                "The tip of the ETT is 4.5 cm above the carina."),
                split("Findings were discussed with Dr. ___ by telephone at 10:15 a.m. on ___. The tip of the ETT"
                        + " is 4.5 cm above the carina."));
        assertEquals(List.of("Mild cardiomegaly, i.e. CTR about 0.6, unchanged vs. Prior exam.",
                "Dr. Smith was paged."),
                split("Mild cardiomegaly, i.e. CTR about 0.6, unchanged vs. Prior exam. Dr. Smith was paged."));
        assertEquals(List.of("See Fig. 2 for comparison.", "Approx. 3 cm nodule."),
                split("See Fig. 2 for comparison. Approx. 3 cm nodule."));
        assertEquals(List.of("Lines, e.g. ETT and NGT, are in place.", "No change, i.e. Stable."),
                split("Lines, e.g. ETT and NGT, are in place. No change, i.e. Stable."));
    }

    @Test
    void sentencesEndingWithAnAcronymAreSplit() {
        // ICU's English suppression list (single capitals such as "T." and "G.") would keep these together.
        assertEquals(List.of("Unchanged position of the ETT.", "No pneumothorax."),
                split("Unchanged position of the ETT. No pneumothorax."));
        assertEquals(List.of("Patient is s/p CABG.", "Sternal wires are intact.", "Compare with prior CT.",
                        "Lungs are clear except.", "The NGT.", "Pt. is rotated."),
                split("Patient is s/p CABG. Sternal wires are intact. Compare with prior CT. Lungs are clear except."
                        + " The NGT. Pt. is rotated."));
    }

    @Test
    void numberedItemsStayWithTheirText() {
        assertEquals(List.of("1. Right lower lobe pneumonia.", "2. Small left pleural effusion.",
                "3. No pneumothorax."),
                split("\n \n 1. Right lower lobe pneumonia. 2. Small left pleural effusion.\n 3. No pneumothorax.\n"));
        assertEquals(List.of("1. Right lower lobe pneumonia.", "2. Small effusion."),
                split("1. Right lower lobe pneumonia.\n \n 2. Small effusion."));
        assertEquals(List.of("The chest radiograph on admission was normal.",
                        "(a) Frontal radiograph 2 days later shows focal consolidation.",
                        "(b) Radiograph 8 days later shows diffuse airspace disease."),
                split("The chest radiograph on admission was normal. (a) Frontal radiograph 2 days later shows"
                        + " focal consolidation. (b) Radiograph 8 days later shows diffuse airspace disease."));
    }

    @Test
    void missingSpaceAfterAFullStopAndSentencesStartingWithANumber() {
        assertEquals(List.of("Consolidations in the lower lobes, bilaterally.",
                "Subpleural nodules in the left upper lobe.", "No pleural effusion."),
                split("Consolidations in the lower lobes, bilaterally.Subpleural nodules in the left upper\n"
                        + " lobe.No pleural effusion."));
        assertEquals(List.of("Pneumothorax resolved gradually.", "1 day after admission COVID-19 was confirmed."),
                split("Pneumothorax resolved gradually. 1 day after admission COVID-19 was confirmed."));
        assertEquals(List.of("Right PICC in place.", "___ catheter tip in the SVC.",
                "Discussed with Dr. ___ at 2 p.m. ___ agreed."),
                split("Right PICC in place. ___ catheter tip in the SVC. Discussed with Dr. ___ at 2 p.m. ___"
                        + " agreed."));
        // Not for initials, abbreviations or the units of a measurement.
        assertEquals(List.of("U.S.A. based study.", "The lesion is 2.5 cm.", "No change."),
                split("U.S.A. based study. The lesion is 2.5 cm. No change."));
    }

    @Test
    void questionAndExclamationMarksEndSentences() {
        assertEquals(List.of("Is there an effusion?", "No.", "Tube malpositioned!"),
                split("Is there an effusion? No. Tube malpositioned!"));
    }

    @Test
    void tokensAreWordsNumbersAndPunctuation() {
        assertEquals(2, splitter.split("Normal.").numTokens());
        assertEquals(3, splitter.split("No change.").numTokens());
        assertEquals(6, splitter.split("Tip 4.5 cm above ___.").numTokens());
        assertEquals(5, splitter.split("\n \n No\n effusion.\n \n Clear.").numTokens());
        // A known difference: ICU's word rules give 10 : 15 a.m . ok (6); stanza would give 10:15 a.m. ok (3).
        assertEquals(6, splitter.split("10:15 a.m. ok").numTokens());
    }

    @Test
    void splitterIsSafeToShareBetweenThreads() throws Exception {
        String text = "1. Right lower lobe pneumonia. 2. Small left pleural effusion. Dr. ___ was paged.";
        List<String> expected = split(text);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger bad = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    if (!split(text).equals(expected)) {
                        bad.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, bad.get());
    }
}
