package org.lovt.data.datasets.mimic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official MIMIC-CXR report section parser ({@code section_parser.py} of the MIMIC-CXR code, zenodo 3539363, as
 * copied into LoVT; spec lovt-data-eval §1.4), ported rule by rule: a section starts at a line that begins with one
 * space and an upper-case header followed by a colon; header names are normalised with the same table, substring and
 * regex rules; empty findings/impression sections are dropped.
 *
 * <p>String semantics follow Python where they differ from Java ({@code \s}, {@code strip()}), so that the same
 * report gives the same sections.
 */
public final class MimicSectionParser {
    private MimicSectionParser() {}

    /**
     * One section of a report.
     *
     * @param name  normalised name ({@code preamble}, {@code findings}, {@code impression}, {@code full report}, ...)
     * @param text  the section's raw text (header excluded), as a substring of the report
     * @param start index of {@code text} in the report
     */
    public record Section(String name, String text, int start) {}

    /**
     * The two sections LoVT keeps. A missing one is the empty string (the original's default).
     *
     * @param findings   text of the last non-empty findings section, or ""
     * @param impression text of the last non-empty impression section, or ""
     */
    public record FindingsImpression(String findings, String impression) {}

    /** A newline, one space, an upper-case header, a colon and one whitespace character (Python {@code \s}). */
    private static final Pattern SECTION_HEADER = Pattern.compile("\n ([A-Z ()/,-]+):" + PyText.SPACE_CLASS);

    private static final Map<String, String> FREQUENT_SECTIONS = Map.ofEntries(
            Map.entry("preamble", "preamble"),
            Map.entry("impression", "impression"),
            Map.entry("comparison", "comparison"),
            Map.entry("indication", "indication"),
            Map.entry("findings", "findings"),
            Map.entry("examination", "examination"),
            Map.entry("technique", "technique"),
            Map.entry("history", "history"),
            Map.entry("comparisons", "comparison"),
            Map.entry("clinical history", "history"),
            Map.entry("reason for examination", "indication"),
            Map.entry("notification", "notification"),
            Map.entry("reason for exam", "indication"),
            Map.entry("clinical information", "history"),
            Map.entry("exam", "examination"),
            Map.entry("clinical indication", "indication"),
            Map.entry("conclusion", "impression"),
            Map.entry("chest, two views", "findings"),
            Map.entry("recommendation(s)", "recommendations"),
            Map.entry("type of examination", "examination"),
            Map.entry("reference exam", "comparison"),
            Map.entry("patient history", "history"),
            Map.entry("addendum", "addendum"),
            Map.entry("comparison exam", "comparison"),
            Map.entry("date", "date"),
            Map.entry("comment", "comment"),
            Map.entry("findings and impression", "impression"),
            Map.entry("wet read", "wet read"),
            Map.entry("comparison film", "comparison"),
            Map.entry("recommendations", "recommendations"),
            Map.entry("findings/impression", "impression"),
            Map.entry("pfi", "history"),
            Map.entry("recommendation", "recommendations"),
            Map.entry("wetread", "wet read"),
            // sic: the official table maps this misspelling of "indication" to impression.
            Map.entry("ndication", "impression"),
            Map.entry("impresson", "impression"),
            Map.entry("imprression", "impression"),
            Map.entry("imoression", "impression"),
            Map.entry("impressoin", "impression"),
            Map.entry("imprssion", "impression"),
            Map.entry("impresion", "impression"),
            Map.entry("imperssion", "impression"),
            Map.entry("mpression", "impression"),
            Map.entry("impession", "impression"),
            Map.entry("findings/ impression", "impression"),
            Map.entry("finding", "findings"),
            Map.entry("findins", "findings"),
            Map.entry("findindgs", "findings"),
            Map.entry("findgings", "findings"),
            Map.entry("findngs", "findings"),
            Map.entry("findnings", "findings"),
            Map.entry("finidngs", "findings"),
            Map.entry("idication", "indication"),
            Map.entry("reference findings", "findings"),
            Map.entry("comparision", "comparison"),
            Map.entry("comparsion", "comparison"),
            Map.entry("comparrison", "comparison"),
            Map.entry("comparisions", "comparison"));

    /** Checked in this order: the first one contained in the name wins. */
    private static final List<String> MAIN_SECTIONS = List.of("impression", "findings", "history", "comparison",
            "addendum");

    /** Headers that describe the whole study and therefore hold findings. */
    private static final Pattern FINDINGS_LIKE = Pattern.compile("(chest|portable|pa and lateral|lateral and pa|"
            + "ap and lateral|lateral and ap|frontal and|two views|frontal view|pa view|ap view|one view|"
            + "lateral view|bone window|frontal upright|frontal semi-upright|ribs|pa and lat)");

    /**
     * Studies that the official code treats by hand ({@code custom_mimic_cxr_rules}: 23 with custom section names,
     * 31 with custom indices, 8 of them without any findings). LoVT skips them all (spec §1.4 step 1).
     */
    static final Set<String> CUSTOM_RULE_STUDIES = Set.of(
            // custom_section_names
            "s50913680", "s59363654", "s59279892", "s59768032", "s57936451", "s50058765", "s53356173", "s53202765",
            "s50808053", "s51966317", "s50743547", "s56451190", "s59067458", "s59215320", "s55124749", "s54365831",
            "s59087630", "s58157373", "s56482935", "s58375018", "s54654948", "s55157853", "s51491012",
            // custom_indices
            "s50525523", "s57564132", "s59982525", "s53488209", "s54875119", "s50196495", "s56579911", "s52648681",
            "s59889364", "s53514462", "s59505494", "s53182247", "s51410602", "s56412866", "s54986978", "s59003148",
            "s57150433", "s56760320", "s59562049", "s52674888", "s55258338", "s59330497", "s52119491",
            // custom_indices: no findings at all in the entire report
            "s58235663", "s50798377", "s54168089", "s53071062", "s56724958", "s54231141", "s53607029", "s52035334");

    /** Whether LoVT excludes this study ({@code s} + digits) because the official code special-cases it. */
    public static boolean isCustomRuleStudy(String studyId) {
        return CUSTOM_RULE_STUDIES.contains(studyId);
    }

    /**
     * {@code section_text}: splits a report into named sections in document order.
     *
     * @param text the full report text
     * @return the sections; never empty (a report without headers is one {@code full report} section)
     */
    public static List<Section> sectionText(String text) {
        List<String> texts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();

        Matcher m = SECTION_HEADER.matcher(text);
        if (m.find(0)) {
            texts.add(text.substring(0, m.start(1)));
            names.add("preamble");
            starts.add(0);
            boolean found = true;
            while (found) {
                String current = m.group(1).toLowerCase(Locale.ROOT);
                int start = m.end();
                // The official code skips past the first newline of the section to avoid some bad parses; the next
                // header search starts at that newline (the pattern itself begins with one).
                int skip = text.indexOf('\n', start);
                int from = skip < 0 ? start : skip;
                found = m.find(from);
                int end = found ? m.start() : text.length();
                texts.add(text.substring(start, end));
                names.add(current);
                starts.add(start);
            }
        } else {
            texts.add(text);
            names.add("full report");
            starts.add(0);
        }

        names = normalizeSectionNames(names);

        // An empty findings/impression section is usually a title-like header or a duplicate.
        for (int i = names.size() - 1; i >= 0; i--) {
            String n = names.get(i);
            if ((n.equals("impression") || n.equals("findings")) && PyText.strip(texts.get(i)).isEmpty()) {
                texts.remove(i);
                names.remove(i);
                starts.remove(i);
            }
        }

        if (!names.contains("impression") && !names.contains("findings") && !texts.isEmpty()) {
            int last = texts.size() - 1;
            String lastText = texts.get(last);
            int cut = lastText.indexOf("\n \n");
            if (cut >= 0) {
                String head = lastText.substring(0, cut);
                texts.set(last, head);
                texts.add(lastText.substring(cut + 3));
                names.add("last_paragraph");
                starts.add(starts.get(last) + head.length());
            }
        }

        List<Section> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(new Section(names.get(i), texts.get(i), starts.get(i)));
        }
        return out;
    }

    /** {@code normalize_section_names}: lower-case, strip, then table, substring and regex rules. */
    public static List<String> normalizeSectionNames(List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        for (String raw : names) {
            String s = PyText.strip(raw.toLowerCase(Locale.ROOT));
            out.add(normalizeOne(s));
        }
        return out;
    }

    private static String normalizeOne(String s) {
        String frequent = FREQUENT_SECTIONS.get(s);
        if (frequent != null) {
            return frequent;
        }
        for (String main : MAIN_SECTIONS) {
            if (s.contains(main)) {
                return main;
            }
        }
        return FINDINGS_LIKE.matcher(s).find() ? "findings" : s;
    }

    /**
     * LoVT's {@code split_into_sections}: the findings and impression texts of a report, or null when the study is
     * excluded by the custom rules or the report has neither section. A later section of the same name replaces an
     * earlier one (document order).
     *
     * @param text    the full report text
     * @param studyId the study id with its {@code s} prefix
     */
    public static FindingsImpression findingsAndImpression(String text, String studyId) {
        if (isCustomRuleStudy(studyId)) {
            return null;
        }
        List<Section> sections = sectionText(text);
        String findings = null;
        String impression = null;
        for (Section s : sections) {
            if (s.name().equals("findings")) {
                findings = s.text();
            } else if (s.name().equals("impression")) {
                impression = s.text();
            }
        }
        if (findings == null && impression == null) {
            return null;
        }
        return new FindingsImpression(findings == null ? "" : findings, impression == null ? "" : impression);
    }
}
