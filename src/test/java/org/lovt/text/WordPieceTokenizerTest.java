package org.lovt.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordPieceTokenizerTest {
    /** A small BERT-style vocabulary: specials at the Bio_ClinicalBERT ids' relative order, cased entries too. */
    static final List<String> VOCAB = new ArrayList<>();
    static WordPieceTokenizer lower;
    static WordPieceTokenizer cased;

    @BeforeAll
    static void build() {
        VOCAB.addAll(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "there", "is", "a", "small", "nodule",
                "in", "the", "right", "upper", "zone", ".", ",", "token", "##ization", "emigre", "Right", "no",
                "effusion", "pleural", "##s", "heart", "size", "normal"));
        lower = WordPieceTokenizer.fromVocab(VOCAB, true, "test vocab");
        cased = WordPieceTokenizer.fromVocab(VOCAB, false, "test vocab");
    }

    @AfterAll
    static void close() {
        lower.close();
        cased.close();
    }

    static long id(String t) {
        return VOCAB.indexOf(t);
    }

    @Test
    void lowerCasesStripsAccentsAndSplitsWordPieces() {
        WordPieceTokenizer.Tokens t = lower.encode("There is a small nodule in the RIGHT upper zone.", false);
        assertArrayEquals(new String[] {"there", "is", "a", "small", "nodule", "in", "the", "right", "upper", "zone",
                "."}, t.tokens());
        assertArrayEquals(new String[] {"token", "##ization", "emigre"}, lower.encode("Tokenization émigré", false)
                .tokens());
        assertEquals(id("[UNK]"), lower.encode("cardiomegaly", false).ids()[0], "unknown words become [UNK]");
    }

    @Test
    void casedModeKeepsCaseAsTheVocabularyWould() {
        assertArrayEquals(new long[] {id("Right")}, cased.encode("Right", false).ids());
        assertArrayEquals(new long[] {id("right")}, lower.encode("Right", false).ids(),
                "LoVT's quirk: Bio_ClinicalBERT text is lower-cased although its vocabulary is cased");
    }

    @Test
    void specialTokensWrapTheSequence() {
        long[] ids = lower.encode("no effusion", true).ids();
        assertArrayEquals(new long[] {id("[CLS]"), id("no"), id("effusion"), id("[SEP]")}, ids);
        assertEquals("no effusion", lower.decode(ids));
        assertEquals(id("[PAD]"), lower.padId());
        assertEquals(VOCAB.size(), lower.vocabSize());
    }

    @Test
    void truncationKeepsTheClosingSep() {
        long[] ids = lower.encodeTruncated("there is a small nodule in the right upper zone", 6);
        assertArrayEquals(new long[] {id("[CLS]"), id("there"), id("is"), id("a"), id("small"), id("[SEP]")}, ids);
        assertEquals(3, lower.encodeTruncated("no", 10).length, "[CLS] no [SEP]");
        assertThrows(LovtException.class, () -> lower.encodeTruncated("x", 1));
    }

    @Test
    void batchEncodingEqualsOneByOne() {
        List<String> texts = List.of("heart size normal.", "no pleural effusions", "");
        WordPieceTokenizer.Tokens[] all = lower.encodeAll(texts, false);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(lower.encode(texts.get(i), false).ids(), all[i].ids(), texts.get(i));
        }
        assertEquals(0, all[2].length());
        assertTrue(Arrays.asList(all[1].tokens()).contains("##s"));
    }

    @Test
    void modelFoldersAndBadVocabulariesAreHandled(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("vocab.txt"), VOCAB);
        try (WordPieceTokenizer t = WordPieceTokenizer.fromModelDir(dir, true)) {
            assertArrayEquals(lower.encode("Heart size normal", true).ids(), t.encode("Heart size normal", true).ids());
        }
        Files.write(dir.resolve("tokenizer.json"), WordPieceTokenizer.tokenizerJson(
                new java.util.LinkedHashMap<>(java.util.Map.of("[PAD]", 0, "[UNK]", 1, "[CLS]", 2, "[SEP]", 3, "no", 4)),
                true));
        try (WordPieceTokenizer t = WordPieceTokenizer.fromTokenizerJson(dir.resolve("tokenizer.json"))) {
            assertArrayEquals(new long[] {2, 4, 1, 3}, t.encode("No effusion", true).ids());
        }
        var e = assertThrows(LovtException.class,
                () -> WordPieceTokenizer.fromVocab(List.of("[PAD]", "[UNK]", "[CLS]"), true, "v.txt"));
        assertTrue(e.getMessage().contains("v.txt") && e.getMessage().contains("[SEP]"), e.getMessage());
        e = assertThrows(LovtException.class,
                () -> WordPieceTokenizer.fromVocab(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "a"), true, "v"));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        e = assertThrows(LovtException.class, () -> WordPieceTokenizer.fromModelDir(dir.resolve("none"), true));
        assertTrue(e.getMessage().contains("neither vocab.txt nor tokenizer.json"), e.getMessage());
    }
}
