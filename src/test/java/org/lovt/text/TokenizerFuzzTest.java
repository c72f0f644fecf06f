package org.lovt.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;

/**
 * Coverage-guided fuzzing of the WordPiece tokenizer (Hugging Face's native tokenizers library behind DJL) on
 * arbitrary Unicode (contract: {@link FuzzContract}): the input bytes are read as UTF-16 so that every code unit,
 * unpaired surrogates included, can occur; encoded with and without special tokens, truncated, and decoded again.
 */
class TokenizerFuzzTest {
    private static WordPieceTokenizer tokenizer;

    @FuzzTest(maxDuration = "10m")
    void text(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_16LE);
        FuzzContract.check("tokenizer", data.length, 4096, () -> {
            WordPieceTokenizer t = tokenizer();
            WordPieceTokenizer.Tokens tokens = t.encode(text, true);
            t.encode(text, false);
            t.decode(t.encodeTruncated(text, 16));
            t.decode(tokens.ids());
        });
    }

    private static synchronized WordPieceTokenizer tokenizer() {
        if (tokenizer == null) {
            List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "lung",
                    "##s", "effusion", "pleural", "no", ".", ",", "é", "##é", "中", "##ing"));
            for (char c = '!'; c <= '~'; c++) {
                vocab.add(String.valueOf(c));
                vocab.add("##" + c);
            }
            tokenizer = WordPieceTokenizer.fromVocab(vocab.stream().distinct().toList(), true, "fuzz vocab");
        }
        return tokenizer;
    }
}
