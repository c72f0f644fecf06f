package org.lovt.data.datasets.mimic;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.FilteredBreakIteratorBuilder;
import com.ibm.icu.util.ULocale;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a report section into sentences and counts its tokens, replacing the stanza English {@code tokenize}
 * pipeline of the original ({@code SentenceSplitter}, spec lovt-data-eval §1.3, lovt-model §2.3). Stanza is a
 * neural model with no JVM port; Stanford CoreNLP is GPL-3.0, which this MIT library cannot depend on.
 *
 * <p>The splitter is ICU4J's rule-based sentence {@link BreakIterator} (Unicode UAX #29) with abbreviation
 * suppressions ({@link FilteredBreakIteratorBuilder}) for a curated list ({@link #ABBREVIATIONS}: "Dr.", "Mr.",
 * "Pt.", "Fig.", "approx.", "vs.", ...; not ICU's English list, which keeps "the ETT. No pneumothorax" together).
 * Around it, rules bring it closer to what stanza does on radiology reports:
 * <ol>
 *   <li><b>Paragraphs</b>: a blank line ({@code \n\s*\n}, stanza's {@code NEWLINE_WHITESPACE_RE}) always ends a
 *       sentence, as stanza splits paragraphs before tokenising.</li>
 *   <li><b>Single line breaks are spaces</b>: reports are wrapped at about 70 characters, and UAX #29 would end a
 *       sentence at every line feed (rule SB4); stanza treats a single newline as whitespace.</li>
 *   <li><b>Item numbers stay with their item</b>: UAX #29 ends a sentence after "2." followed by a capitalised
 *       word, so "2. Small effusion." would become "2." and "Small effusion."; a piece that is only an item number
 *       ({@code 1.}, {@code 2)}, {@code (a)}) is joined to the next sentence.</li>
 *   <li><b>"e.g." and "i.e."</b> never end a sentence ({@link #NEVER_FINAL}); ICU's filter cannot suppress
 *       abbreviations with inner full stops, so such a piece is joined to the next one.</li>
 *   <li><b>Breaks that UAX #29 does not make</b>: "lobes.Subpleural" (no space after the full stop, between a
 *       lower-case word and a capital), "normal. (a) Frontal view", "resolved. 1 day later" and "in place. ___
 *       catheter" (UAX #29 rule SB8 continues a sentence when a lower-case word follows a number, a parenthesis or
 *       "___"); the last two not after an abbreviation ("Fig. 2", "approx. 3 cm", "Dr. ___").</li>
 * </ol>
 * Each sentence is then cleaned exactly like the original's {@code clean_text(sentence, replace_newlines=True)}.
 *
 * <p><b>Token count.</b> stanza's {@code doc.num_tokens} only feeds the "fewer than 3 tokens" filter. Here a token
 * is a non-whitespace segment of ICU's word {@link BreakIterator}: words, decimals ("2.5") and anonymisation runs
 * ("___") count once, each punctuation character counts once. stanza counts "don't" as two tokens and "...",
 * "10:15" and "a.m." as one; such differences only matter for sections of two or three tokens.
 *
 * <p>The remaining differences to stanza are described, with clinical examples, in
 * {@code docs/sentence-splitting.md}. Instances are immutable and thread-safe (each call clones the iterators).
 */
public final class ReportSentenceSplitter {
    /**
     * Abbreviations after which a full stop followed by a capital does not end a sentence (case-sensitive).
     *
     * <p>ICU's own English list is not used: ICU matches a suppression against the end of the preceding word
     * without checking for a word start, and that list has single capitals ("F.", "G.", "O.", "T.", "X.", ...), so
     * "the ETT. No pneumothorax." and "s/p CABG. Sternal wires intact." would not be split, and clinical reports end
     * many sentences with such acronyms. For the same reason lower-case "pt." is left out ("except.", "kept."),
     * and units ("cm.") and "etc." are left out because they usually do end a sentence.
     */
    public static final List<String> ABBREVIATIONS = List.of(
            "Dr.", "Drs.", "DR.", "Mr.", "Mrs.", "Ms.", "Prof.", "Pt.", "St.", "Jr.", "Sr.", "Fig.", "Figs.",
            "Approx.", "approx.", "vs.", "Vs.", "VS.", "Nos.", "Ref.", "Dept.");

    /**
     * Abbreviations with inner full stops that never end a sentence. ICU's filter cannot suppress these: it only
     * looks up the part before the first inner full stop ("e." of "e.g."), so a sentence that ends with one of
     * them is joined to the next one instead.
     */
    public static final List<String> NEVER_FINAL = List.of("e.g.", "E.g.", "i.e.", "I.e.");

    /** Stanza's paragraph separator. */
    private static final Pattern PARAGRAPH = Pattern.compile("\n" + PyText.SPACE_CLASS + "*\n");
    /** A sentence made only of a list enumerator: "1.", "12)", "(3)", "a.", "(b)". */
    private static final Pattern ENUMERATOR = Pattern.compile("(?:\\d{1,2}|[A-Za-z])[.)]|\\((?:\\d{1,2}|[A-Za-z])\\)");
    /** A full stop between a lower-case word and an upper-case letter, without a space. */
    private static final Pattern RUN_ON = Pattern.compile("(?<=\\p{Ll}\\p{Ll})\\.(?=\\p{Lu})");
    /** End of a sentence, then an item number in parentheses: "normal. (a) Frontal ...". */
    private static final Pattern PAREN_ITEM = Pattern.compile("[.!?]\\s+(?=\\((?:\\d{1,2}|[A-Za-z])\\)\\s)");
    /**
     * A word of two or more letters, a full stop, white space and a digit or an anonymisation run:
     * "gradually. 1 day after ...", "in place. ___ catheter ...".
     */
    private static final Pattern DIGIT_AFTER_STOP = Pattern.compile("(\\p{L}{2,})\\.\\s+(?=\\d|___)");
    /** ICU's English list and ours, lower-cased, for {@link #DIGIT_AFTER_STOP}: "Fig. 2", "approx. 3 cm". */
    private static final java.util.Set<String> ABBREVIATIONS_LOWER = abbreviationsLower();

    // clean_text(..., replace_newlines=True), regexes as in sentence_splitting.py.
    private static final Pattern MULTILINES = Pattern.compile("(?:[\\t ]*(?:\\r\\n|\\n)+)+");
    private static final Pattern MULTISPACES = Pattern.compile("[\\t ]+");

    private static java.util.Set<String> abbreviationsLower() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String a : ABBREVIATIONS) {
            out.add(a.toLowerCase(java.util.Locale.ROOT));
        }
        for (String a : NEVER_FINAL) {
            out.add(a.toLowerCase(java.util.Locale.ROOT));
        }
        // Words that precede a number without ending a sentence ("No. 2", "Vol. 3", "Jan. 5").
        for (String a : List.of("no.", "vol.", "ca.", "pp.", "tab.", "pt.", "jan.", "feb.", "mar.", "apr.",
                "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.")) {
            out.add(a);
        }
        return java.util.Set.copyOf(out);
    }

    private final BreakIterator sentencePrototype;
    private final BreakIterator wordPrototype;

    /** The splitter with the {@link #ABBREVIATIONS} suppressed. */
    public ReportSentenceSplitter() {
        FilteredBreakIteratorBuilder builder = FilteredBreakIteratorBuilder.getEmptyInstance();
        for (String abbreviation : ABBREVIATIONS) {
            builder.suppressBreakAfter(abbreviation);
        }
        this.sentencePrototype = builder.wrapIteratorWithFilter(BreakIterator.getSentenceInstance(ULocale.ENGLISH));
        this.wordPrototype = BreakIterator.getWordInstance(ULocale.ENGLISH);
    }

    /**
     * The sentences and token count of one section.
     *
     * @param sentences cleaned sentences in order (never empty strings)
     * @param numTokens number of tokens of the section (stanza's {@code doc.num_tokens})
     */
    public record Result(List<String> sentences, int numTokens) {
        public Result {
            sentences = List.copyOf(sentences);
        }
    }

    /** Splits a section's raw text; an empty or blank section gives no sentences and 0 tokens. */
    public Result split(String section) {
        BreakIterator sentences = sentencePrototype.clone();
        BreakIterator words = wordPrototype.clone();
        List<String> out = new ArrayList<>();
        int tokens = 0;
        Matcher para = PARAGRAPH.matcher(section);
        int from = 0;
        while (true) {
            boolean more = para.find();
            int to = more ? para.start() : section.length();
            String paragraph = section.substring(from, to);
            splitParagraph(paragraph, sentences, out);
            tokens += countTokens(paragraph, words);
            if (!more) {
                break;
            }
            from = para.end();
        }
        return new Result(out, tokens);
    }

    /** Splits a section into sentences only. */
    public List<String> sentences(String section) {
        return split(section).sentences();
    }

    private static void splitParagraph(String paragraph, BreakIterator it, List<String> out) {
        // Line feeds become spaces of the same length, so that offsets still index the original paragraph.
        String flat = paragraph.replace('\n', ' ').replace('\r', ' ');
        it.setText(flat);
        String pending = null; // an item number or a sentence ending in e.g./i.e., joined to the next
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            for (String piece : extraBreaks(paragraph.substring(start, end))) {
                String sentence = cleanText(piece);
                if (sentence.isEmpty()) {
                    continue;
                }
                if (pending != null) {
                    sentence = pending + " " + sentence;
                    pending = null;
                }
                if (ENUMERATOR.matcher(sentence).matches() || endsWithNeverFinal(sentence)) {
                    pending = sentence;
                } else {
                    out.add(sentence);
                }
            }
        }
        if (pending != null) {
            out.add(pending);
        }
    }

    /**
     * Breaks that UAX #29 does not make but stanza does on clinical text, inside one ICU sentence: after a full
     * stop that directly precedes a capital ({@link #RUN_ON}), before an item number in parentheses
     * ({@link #PAREN_ITEM}) and before a number after a full stop ({@link #DIGIT_AFTER_STOP}); UAX #29 rule SB8 keeps
     * "resolved. 1 day later" and "normal. (a) Frontal view" together because a lower-case letter follows.
     */
    private static List<String> extraBreaks(String sentence) {
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        Matcher m = RUN_ON.matcher(sentence);
        while (m.find()) {
            cuts.add(m.end());
        }
        m = PAREN_ITEM.matcher(sentence);
        while (m.find()) {
            cuts.add(m.start() + 1);
        }
        m = DIGIT_AFTER_STOP.matcher(sentence);
        while (m.find()) {
            int wordStart = m.start(1);
            boolean wholeWord = wordStart == 0 || !(Character.isLetter(sentence.charAt(wordStart - 1))
                    || sentence.charAt(wordStart - 1) == '.');
            if (wholeWord && !ABBREVIATIONS_LOWER.contains(m.group(1).toLowerCase(java.util.Locale.ROOT) + ".")) {
                cuts.add(m.end(1) + 1);
            }
        }
        if (cuts.isEmpty()) {
            return List.of(sentence);
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            if (cut > from && cut < sentence.length()) {
                parts.add(sentence.substring(from, cut));
                from = cut;
            }
        }
        parts.add(sentence.substring(from));
        return parts;
    }

    private static boolean endsWithNeverFinal(String sentence) {
        for (String a : NEVER_FINAL) {
            if (sentence.endsWith(a) && (sentence.length() == a.length()
                    || !Character.isLetterOrDigit(sentence.charAt(sentence.length() - a.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static int countTokens(String text, BreakIterator it) {
        it.setText(text);
        int n = 0;
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            if (!PyText.strip(text.substring(start, end)).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /**
     * The original's {@code clean_text(text, replace_newlines=True)}: runs of (optionally space-indented) line breaks
     * become one newline, newlines become spaces, runs of spaces and tabs become one space, then Python
     * {@code strip()}.
     */
    public static String cleanText(String text) {
        String t = MULTILINES.matcher(text).replaceAll("\n");
        t = t.replace('\n', ' ');
        t = MULTISPACES.matcher(t).replaceAll(" ");
        return PyText.strip(t);
    }
}
