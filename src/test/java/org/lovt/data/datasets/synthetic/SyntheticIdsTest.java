package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lovt.data.datasets.mimic.MimicSectionParser;

/** MIMIC-style ids: formats, uniqueness, and no clash with the studies LoVT drops. */
class SyntheticIdsTest {
    @Test
    void studyIdsAreUniqueEightDigitFivesThatLovtKeeps() {
        int[] ids = SyntheticIds.studyIds(200_000);
        assertEquals(50_000_000, ids[0]);
        int skipped = 0;
        for (int i = 0; i < ids.length; i++) {
            assertTrue(ids[i] >= 50_000_000 && ids[i] <= 59_999_999);
            assertFalse(MimicSectionParser.isCustomRuleStudy("s" + ids[i]), "s" + ids[i]);
            if (i > 0) {
                assertTrue(ids[i] > ids[i - 1]);
                skipped += ids[i] - ids[i - 1] - 1;
            }
        }
        assertEquals(2, skipped, "the special-cased studies s50058765 and s50196495 are skipped");
        assertTrue(MimicSectionParser.isCustomRuleStudy("s50058765"));
    }

    @Test
    void subjectAndDicomIdsHaveMimicFormats() {
        Set<String> folders = new HashSet<>();
        Set<Integer> subjects = new HashSet<>();
        for (int ordinal = 0; ordinal < 1000; ordinal++) {
            int subject = SyntheticIds.subjectId(ordinal);
            assertTrue(Integer.toString(subject).matches("1[0-9]{7}"), Integer.toString(subject));
            assertTrue(subjects.add(subject));
            folders.add(SyntheticIds.subjectFolder(subject));
        }
        assertEquals(10, folders.size());
        String dicom = SyntheticIds.dicomId(123, "train", 4);
        assertTrue(dicom.matches("[0-9a-f]{8}(-[0-9a-f]{8}){4}"), dicom);
        assertEquals(dicom, SyntheticIds.dicomId(123, "train", 4));
        assertFalse(dicom.equals(SyntheticIds.dicomId(123, "test", 4)));
    }
}
