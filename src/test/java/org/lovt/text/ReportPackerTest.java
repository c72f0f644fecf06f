package org.lovt.text;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LoVT's joint sentence packing (spec lovt-model §2.2, §6.1). */
class ReportPackerTest {
    static WordPieceTokenizer tok;

    @BeforeAll
    static void build() {
        tok = WordPieceTokenizer.fromVocab(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "no", "effusion",
                "heart", "size", "normal", "small", "nodule", "."), true, "test");
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    @Test
    void sentencesAreJoinedWithMasksAndTokenIndices() {
        try (Scope s = Scope.open()) {
            ReportBatch b = new ReportPacker(tok, 512).pack(List.of(
                    List.of("No effusion.", "Heart size normal."),
                    List.of("Small nodule")));
            // [CLS] no effusion . heart size normal . [SEP] | [CLS] small nodule [SEP] pad...
            assertArrayEquals(new long[] {2, 5, 6, 12, 7, 8, 9, 12, 3, 2, 10, 11, 3, 0, 0, 0, 0, 0},
                    Tensors.toLongs(b.inputIds()));
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
                    Tensors.toLongs(b.attentionMask()));
            assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1},
                    Tensors.toLongs(b.specialTokensMask()), "padding counts as special, as the original");
            assertArrayEquals(new long[] {1, 1, 1, 0}, Tensors.toLongs(b.sentenceMask()));
            assertArrayEquals(new long[] {2, 2, 4}, Tensors.shape(b.sentenceTokenIndex()));
            // sentence 1 of report 0 = tokens 4..7 of row 0; sentence 0 of report 1 = tokens 1..2 of row 1 (9 + 1)
            assertArrayEquals(new long[] {1, 2, 3, 0, 4, 5, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0},
                    Tensors.toLongs(b.sentenceTokenIndex()));
            assertEquals(2, b.maxSentences());
        }
    }

    @Test
    void overflowingSentencesAndEverythingAfterThemAreDropped() {
        try (Scope s = Scope.open()) {
            // content room = 8 − 2 = 6 tokens: "no effusion ." (3) + "heart size normal ." (4) does not fit
            ReportBatch b = new ReportPacker(tok, 8).pack(List.of(List.of("No effusion.", "Heart size normal.", "No.")));
            assertArrayEquals(new int[] {0}, b.keptSentences()[0], "no skipping ahead to the short third sentence");
            assertEquals(5, b.inputIds().size(1));
            // A first sentence longer than the room is cut to it.
            ReportBatch c = new ReportPacker(tok, 5).pack(List.of(List.of("heart size normal no effusion")));
            assertArrayEquals(new long[] {2, 7, 8, 9, 3}, Tensors.toLongs(c.inputIds()));
        }
    }

    @Test
    void emptySentencesAreDroppedAndEmptyReportsRejected() {
        try (Scope s = Scope.open()) {
            ReportBatch b = new ReportPacker(tok, 512).pack(List.of(List.of("", "No effusion", "   ")));
            assertArrayEquals(new int[] {1}, b.keptSentences()[0]);
            assertThrows(LovtException.class, () -> new ReportPacker(tok, 512).pack(List.of(List.of(""))));
            assertThrows(LovtException.class, () -> new ReportPacker(tok, 512).pack(List.of()));
        }
    }

    @Test
    void cachedSentencesPackExactlyAsFreshOnes() {
        List<List<String>> first = List.of(List.of("heart size normal no effusion", "No effusion."),
                List.of("Small nodule", "No effusion."));
        List<List<String>> second = List.of(List.of("No effusion.", "Small nodule."),
                List.of("heart size normal no effusion"));
        // A packer whose cache holds two sentences: the second batch mixes hits, misses and evicted sentences, and the
        // first batch's cut sentence (room 4 tokens) must not have been cut inside the cache.
        ReportPacker reused = new ReportPacker(tok, 6, 2);
        try (Scope s = Scope.open()) {
            ReportBatch a = reused.pack(first);
            assertEquals(2, reused.cachedSentences(), "distinct sentences beyond the capacity are evicted");
            ReportBatch again = reused.pack(first);
            ReportBatch b = reused.pack(second);
            ReportBatch freshA = new ReportPacker(tok, 6).pack(first);
            ReportBatch freshB = new ReportPacker(tok, 6).pack(second);
            for (ReportBatch[] pair : new ReportBatch[][] {{a, freshA}, {again, freshA}, {b, freshB}}) {
                assertArrayEquals(Tensors.toLongs(pair[1].inputIds()), Tensors.toLongs(pair[0].inputIds()));
                assertArrayEquals(Tensors.toLongs(pair[1].sentenceTokenIndex()),
                        Tensors.toLongs(pair[0].sentenceTokenIndex()));
                assertArrayEquals(pair[1].keptSentences()[0], pair[0].keptSentences()[0]);
                assertArrayEquals(pair[1].keptSentences()[1], pair[0].keptSentences()[1]);
            }
            // row 1 of the second batch: [CLS] heart size normal no [SEP], the sentence cut to the room of 4 tokens
            assertArrayEquals(new long[] {2, 7, 8, 9, 5, 3}, java.util.Arrays.copyOfRange(Tensors.toLongs(
                    b.inputIds()), 6, 12));
        }
    }
}
