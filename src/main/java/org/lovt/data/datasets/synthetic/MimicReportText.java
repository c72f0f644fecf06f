package org.lovt.data.datasets.synthetic;

import java.util.List;

/**
 * A synthetic report as a MIMIC-CXR 2.0.0 free-text report ({@code files/pXX/pXXXXXXXX/sXXXXXXXX.txt}): a
 * {@code FINAL REPORT} title, then sections whose headers are {@code "\n <UPPER CASE>:"} (what MIMIC's and LoVT's
 * {@code section_text()} regex {@code \n ([A-Z ()/,-]+):\s} detects), the FINDINGS and IMPRESSION text wrapped at 70
 * characters with every line indented by one space, UTF-8 with {@code \n} line ends and a final newline.
 */
final class MimicReportText {
    static final int WRAP = 70;

    private MimicReportText() {}

    /** The MIMIC procedure description of a single frontal film. */
    static String procedure(View view) {
        return view == View.AP ? "CHEST (PORTABLE AP)" : "CHEST (SINGLE VIEW)";
    }

    static String format(SyntheticSample s) {
        StringBuilder b = new StringBuilder();
        b.append(" ".repeat(33)).append("FINAL REPORT\n");
        b.append(" EXAMINATION:  ").append(procedure(s.view())).append('\n');
        b.append(" \n INDICATION:  ___\n");
        b.append(" \n TECHNIQUE:  ").append(s.view() == View.AP ? "Portable AP chest radiograph."
                : "Single PA view of the chest.").append('\n');
        b.append(" \n COMPARISON:  None.\n");
        b.append(" \n FINDINGS:\n \n");
        wrap(b, s.findingsSection().stream().map(ReportSentence::text).toList());
        if (!s.impression().isEmpty()) {
            b.append(" \n IMPRESSION:\n \n");
            wrap(b, s.impression().stream().map(ReportSentence::text).toList());
        }
        return b.toString();
    }

    /** Greedy word wrap of the sentences joined by single spaces; each line gets a leading space. */
    static void wrap(StringBuilder b, List<String> sentences) {
        String text = String.join(" ", sentences);
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > WRAP) {
                b.append(' ').append(line).append('\n');
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            b.append(' ').append(line).append('\n');
        }
    }
}
