package org.lovt.text;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabBuilderTest {
    @Test
    void frequentWordsAreWholeTokensAndNothingBecomesUnknown() {
        VocabBuilder b = new VocabBuilder();
        for (int i = 0; i < 5; i++) {
            b.add("There is a small nodule in the right upper zone.");
            b.add("No pleural effusion, heart size normal.");
        }
        b.add("Émigré x-ray");
        List<String> vocab = b.build(1000, 2);
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), vocab.subList(0, 5));
        assertTrue(vocab.contains("nodule") && vocab.contains("effusion") && vocab.contains("."));
        assertFalse(vocab.contains("emigre"), "seen once, below min count");
        try (WordPieceTokenizer t = WordPieceTokenizer.fromVocab(vocab, true, "built")) {
            WordPieceTokenizer.Tokens tokens = t.encode("Small NODULE, émigré", false);
            assertEquals(List.of("small", "nodule"), Arrays.asList(tokens.tokens()).subList(0, 2));
            for (long id : tokens.ids()) {
                assertTrue(id != t.unkId(), "spelled out from characters: " + Arrays.toString(tokens.tokens()));
            }
        }
        assertEquals(vocab, b.build(1000, 2), "deterministic");
    }
}
