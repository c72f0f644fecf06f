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
}
