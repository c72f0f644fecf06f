package org.lovt.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a BERT WordPiece vocabulary from a text corpus, for language models trained from scratch (when no
 * pre-trained vocabulary such as Bio_ClinicalBERT's is available): the special tokens, every single character
 * seen (as a word start and as a {@code ##} continuation, so that no word becomes {@code [UNK]}), then whole words
 * by frequency. Text is normalised like the tokenizer's default (lower-cased, accents stripped) and split like
 * BERT's pre-tokenizer (letters, digits, each punctuation mark alone).
 */
public final class VocabBuilder {
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}]+|\\p{N}+|[^\\s\\p{L}\\p{M}\\p{N}]");

    private final Map<String, Integer> counts = new LinkedHashMap<>();

    /** Counts the words of one text. */
    public VocabBuilder add(String text) {
        String norm = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
        Matcher m = WORD.matcher(norm);
        while (m.find()) {
            counts.merge(m.group(), 1, Integer::sum);
        }
        return this;
    }

    /** The vocabulary (ids = positions): specials, characters, then words seen at least {@code minCount} times. */
    public List<String> build(int maxSize, int minCount) {
        Set<String> vocab = new LinkedHashSet<>(SPECIALS);
        Set<String> chars = new java.util.TreeSet<>();
        for (String w : counts.keySet()) {
            w.codePoints().forEach(c -> chars.add(new String(Character.toChars(c))));
        }
        for (String c : chars) {
            vocab.add(c);
            vocab.add("##" + c);
        }
        List<Map.Entry<String, Integer>> words = new ArrayList<>(counts.entrySet());
        words.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        for (Map.Entry<String, Integer> e : words) {
            if (vocab.size() >= maxSize || e.getValue() < minCount) {
                break;
            }
            vocab.add(e.getKey());
        }
        return new ArrayList<>(vocab);
    }
}
