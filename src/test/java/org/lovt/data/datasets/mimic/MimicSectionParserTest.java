package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The official MIMIC-CXR section rules (spec lovt-data-eval §1.4) on hand-written reports. */
class MimicSectionParserTest {

    private static final String REPORT = String.join("\n",
            "                                 FINAL REPORT",
            " EXAMINATION:  CHEST (PA AND LAT)",
            " ",
            " INDICATION:  ___ with cough.",
            " ",
            " COMPARISON:  ___.",
            " ",
            " FINDINGS: ",
            " ",
            " The lungs are clear. Heart size is normal.",
            " ",
            " IMPRESSION: ",
            " ",
            " No acute cardiopulmonary process.",
            "");

    private static List<String> names(String text) {
        return MimicSectionParser.sectionText(text).stream().map(MimicSectionParser.Section::name).toList();
    }

    @Test
    void typicalReportHasNamedSectionsInOrder() {
        List<MimicSectionParser.Section> s = MimicSectionParser.sectionText(REPORT);
        assertEquals(List.of("preamble", "examination", "indication", "comparison", "findings", "impression"),
                s.stream().map(MimicSectionParser.Section::name).toList());
        // The preamble ends with the "\n " before the first header (text[0 : match.start(1)]).
        assertEquals("                                 FINAL REPORT\n ", s.get(0).text());
        // "FINDINGS: " consumes the space; the section runs up to the newline before the next header.
        assertEquals("\n \n The lungs are clear. Heart size is normal.\n ", s.get(4).text());
        assertEquals(REPORT.indexOf("FINDINGS: ") + "FINDINGS: ".length(), s.get(4).start());
        assertEquals("\n \n No acute cardiopulmonary process.\n", s.get(5).text());

        MimicSectionParser.FindingsImpression fi = MimicSectionParser.findingsAndImpression(REPORT, "s50000001");
        assertTrue(fi.findings().contains("The lungs are clear. Heart size is normal."));
        assertFalse(fi.findings().contains("IMPRESSION"));
        assertEquals("\n \n No acute cardiopulmonary process.\n", fi.impression());
    }

    @Test
    void withoutHeaderTheWholeTextIsOneSectionAndTheStudyHasNoFindings() {
        String text = "The lungs are clear.\nNo effusion.";
        List<MimicSectionParser.Section> s = MimicSectionParser.sectionText(text);
        assertEquals(1, s.size());
        assertEquals("full report", s.get(0).name());
        assertEquals(text, s.get(0).text());
        assertNull(MimicSectionParser.findingsAndImpression(text, "s50000001"));
    }

    @Test
    void headerNeedsNewlineOneSpaceUpperCaseColonAndWhitespace() {
        assertEquals(List.of("full report"), names("x\nFINDINGS: no leading space"));
        assertEquals(List.of("full report"), names("x\n Findings: not upper case"));
        assertEquals(List.of("full report"), names("x\n FINDINGS:no whitespace after the colon"));
        // The header class includes the space, so a second leading space is part of the name (then stripped).
        assertEquals(List.of("preamble", "findings"), names("x\n  FINDINGS: two leading spaces"));
        assertEquals(List.of("preamble", "findings"), names("x\n FINDINGS: one leading space"));
        // Python's \s also matches U+00A0 and U+0085; Java's \s does not.
        assertEquals(List.of("preamble", "findings"), names("x\n FINDINGS:\u00a0clear"));
        assertEquals(List.of("preamble", "findings"), names("x\n FINDINGS:\u0085clear"));
    }

    @Test
    void theNextHeaderSearchStartsAtTheFirstNewlineAfterTheSectionStart() {
        // ":\s" swallows the newline after "FINDINGS:", so the search resumes at the newline that ends the
        // IMPRESSION line: that header is not seen and its text stays inside findings (official behaviour).
        String text = "x\n FINDINGS:\n IMPRESSION: Clear lungs.\n More text.";
        List<MimicSectionParser.Section> s = MimicSectionParser.sectionText(text);
        assertEquals(List.of("preamble", "findings"), s.stream().map(MimicSectionParser.Section::name).toList());
        assertEquals(" IMPRESSION: Clear lungs.\n More text.", s.get(1).text());
        // With a blank line in between, both headers are found.
        assertEquals(List.of("preamble", "findings", "impression"),
                names("x\n FINDINGS: Clear.\n \n IMPRESSION: Normal."));
        // A section without any newline: the search resumes at its start.
        assertEquals(List.of("preamble", "findings", "impression"),
                names("x\n FINDINGS: a\n IMPRESSION: b"));
    }

    @Test
    void namesAreNormalisedByTableThenSubstringThenStudyPattern() {
        assertEquals(List.of("impression", "impression", "impression", "impression", "impression", "findings",
                        "findings", "findings", "history", "indication", "comparison", "recommendations",
                        "impression", "history", "findings", "findings", "findings", "findings", "wet read",
                        "technique"),
                MimicSectionParser.normalizeSectionNames(List.of("CONCLUSION", "Findings and Impression",
                        "findings/impression", "IMPRESSON", "mpression", "FINDNGS", "finding", "chest, two views",
                        "clinical history", "reason for exam", "comparisons", "recommendation(s)",
                        // substring rule, checked in the order impression, findings, history, comparison, addendum
                        "final impression and findings", "history of present illness",
                        // study-description pattern
                        "chest, pa and lateral", "portable ap chest film", "ap view", "frontal semi-upright",
                        "  Wet Read  ", "technique")));
        // sic: the official table sends the misspelling "ndication" to impression.
        assertEquals(List.of("impression"), MimicSectionParser.normalizeSectionNames(List.of("NDICATION")));
        assertEquals(List.of("note"), MimicSectionParser.normalizeSectionNames(List.of("NOTE")));
    }

    @Test
    void emptyFindingsOrImpressionSectionsAreDroppedAndALaterSectionWins() {
        String text = "x\n CHEST, PA AND LATERAL:\n \n INDICATION: cough\n \n FINDINGS: Small effusion.\n \n"
                + " FINDINGS: Large effusion.\n \n IMPRESSION:\n \n";
        // CHEST, PA AND LATERAL is a findings-like title without text; the empty impression goes too.
        assertEquals(List.of("preamble", "indication", "findings", "findings"), names(text));
        MimicSectionParser.FindingsImpression fi = MimicSectionParser.findingsAndImpression(text, "s50000001");
        assertEquals("Large effusion.\n ", fi.findings());
        assertEquals("", fi.impression());
    }

    @Test
    void impressionAloneIsEnoughAndFindingsDefaultToEmpty() {
        MimicSectionParser.FindingsImpression fi =
                MimicSectionParser.findingsAndImpression("x\n CONCLUSION: No change.", "s50000001");
        assertEquals("", fi.findings());
        assertEquals("No change.", fi.impression());
    }

    @Test
    void withoutFindingsOrImpressionTheLastParagraphIsSplitOff() {
        String text = "x\n INDICATION: cough\n \n The lungs are clear.";
        List<MimicSectionParser.Section> s = MimicSectionParser.sectionText(text);
        assertEquals(List.of("preamble", "indication", "last_paragraph"),
                s.stream().map(MimicSectionParser.Section::name).toList());
        assertEquals("cough", s.get(1).text());
        assertEquals(" The lungs are clear.", s.get(2).text());
        assertEquals(s.get(1).start() + "cough".length(), s.get(2).start());
        assertNull(MimicSectionParser.findingsAndImpression(text, "s50000001"));
    }

    @Test
    void customRuleStudiesAreExcluded() {
        assertEquals(54, MimicSectionParser.CUSTOM_RULE_STUDIES.size()); // 23 names + 31 indices
        for (String id : List.of("s50913680", "s51491012", "s50525523", "s52119491", "s58235663", "s52035334")) {
            assertTrue(MimicSectionParser.isCustomRuleStudy(id), id);
            assertNull(MimicSectionParser.findingsAndImpression(REPORT, id), id);
        }
        assertFalse(MimicSectionParser.isCustomRuleStudy("50913680"));
    }
}
