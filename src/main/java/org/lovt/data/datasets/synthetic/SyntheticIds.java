package org.lovt.data.datasets.synthetic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.lovt.data.datasets.mimic.MimicSectionParser;

/**
 * MIMIC-CXR-style identifiers for synthetic studies, numbered by their ordinal over all written splits (train,
 * then validation, then test). One subject has one study with one frontal image. Formats as in MIMIC-CXR-JPG 2.0.0:
 * subject ids have 8 digits starting with 1 (folder {@code p10}..{@code p19} from the first two digits, all ten used
 * from the tenth study on), study ids 8 digits starting with 5, dicom ids five dash-separated groups of 8 lowercase
 * hex digits. Study ids count up from 50000000 but skip the real study ids that LoVT's section parser special-cases
 * and drops ({@link MimicSectionParser#isCustomRuleStudy}), so that no synthetic study is lost in preparation.
 */
final class SyntheticIds {
    /** Ordinals must stay below this so that the ids keep their 8 digits and their leading 1 or 5. */
    static final int MAX_STUDIES = 9_000_000;

    private SyntheticIds() {}

    static int subjectId(int ordinal) {
        check(ordinal);
        return (10 + ordinal % 10) * 1_000_000 + ordinal / 10;
    }

    /** The study ids of ordinals 0 .. count-1 (8 digits, from 50000000 up, skipping LoVT's special cases). */
    static int[] studyIds(int count) {
        check(Math.max(0, count - 1));
        int[] ids = new int[count];
        int next = 50_000_000;
        for (int i = 0; i < count; i++) {
            while (MimicSectionParser.isCustomRuleStudy("s" + next)) {
                next++;
            }
            ids[i] = next++;
        }
        return ids;
    }

    /** The folder prefix of a subject, e.g. {@code p12}. */
    static String subjectFolder(int subjectId) {
        return "p" + Integer.toString(subjectId).substring(0, 2);
    }

    /** SHA-1 of the sample's origin, as MIMIC-style 8-8-8-8-8 hex groups. */
    static String dicomId(long splitSeed, String split, int index) {
        byte[] h;
        try {
            String origin = "lovt-synthetic-cxr:" + splitSeed + ":" + split + ":" + index;
            h = MessageDigest.getInstance("SHA-1").digest(origin.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
        }
        StringBuilder b = new StringBuilder(44);
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 4 == 0) {
                b.append('-');
            }
            b.append(Character.forDigit((h[i] >> 4) & 15, 16)).append(Character.forDigit(h[i] & 15, 16));
        }
        return b.toString();
    }

    private static void check(int ordinal) {
        if (ordinal < 0 || ordinal >= MAX_STUDIES) {
            throw new IllegalArgumentException("study ordinal must be in [0, " + MAX_STUDIES + "), got " + ordinal);
        }
    }
}
