package org.lovt.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;

/**
 * BERT WordPiece tokenization through Hugging Face's tokenizers library (via DJL), fully offline.
 *
 * <p>Built from a model folder's {@code tokenizer.json}, or — when a folder has only {@code vocab.txt}, as
 * Bio_ClinicalBERT does — from a tokenizer definition generated here that matches {@code BertTokenizerFast} with
 * its defaults: BERT normalizer (clean text, Chinese characters split, <b>lower-casing and accent stripping</b>),
 * BERT pre-tokenizer, WordPiece with {@code ##} continuation, max 100 characters per word, {@code [UNK]}, and the
 * {@code [CLS] A [SEP]} / {@code [CLS] A [SEP] B [SEP]} templates. LoVT used exactly this for Bio_ClinicalBERT:
 * the vocabulary is cased but the text is lower-cased (spec lovt-model §2.2), which is reproduced by default.
 *
 * <p>DJL would otherwise contact the network when the first tokenizer is built (telemetry, EC2 metadata): its offline
 * and opt-out properties are set right before each tokenizer is built, where the user left them unset, and a
 * tokenizer is refused when offline mode was switched off ({@link DjlOffline}). Only local files are ever passed to
 * DJL.
 */
public final class WordPieceTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> vocab;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final int unkId;

    /** Token ids and their strings. */
    public record Tokens(long[] ids, String[] tokens) {
        public int length() {
            return ids.length;
        }
    }

    private WordPieceTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> vocab) {
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        clsId = special(vocab, "[CLS]");
        sepId = special(vocab, "[SEP]");
        padId = special(vocab, "[PAD]");
        unkId = special(vocab, "[UNK]");
    }

    private static int special(Map<String, Integer> vocab, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new LovtException("the vocabulary has no " + token + " token");
        }
        return id;
    }

    /**
     * The tokenizer of a Hugging Face model folder: {@code vocab.txt} (with the BertTokenizerFast defaults above,
     * {@code lowercase} = true reproduces LoVT) or, when there is no vocab.txt, {@code tokenizer.json}.
     */
    public static WordPieceTokenizer fromModelDir(Path dir, boolean lowercase) {
        Path vocabFile = dir.resolve("vocab.txt");
        if (Files.isRegularFile(vocabFile)) {
            return fromVocab(vocabFile, lowercase);
        }
        Path json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) {
            return fromTokenizerJson(json);
        }
        throw new LovtException(dir + ": neither vocab.txt nor tokenizer.json in the model folder");
    }

    /** A tokenizer from a BERT {@code vocab.txt} (one token per line, id = line number). */
    public static WordPieceTokenizer fromVocab(Path vocabFile, boolean lowercase) {
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LovtException(vocabFile + ": cannot read vocabulary: " + e.getMessage());
        }
        return fromVocab(lines, lowercase, vocabFile.toString());
    }

    /** A tokenizer from vocabulary tokens in id order. */
    public static WordPieceTokenizer fromVocab(List<String> tokens, boolean lowercase, String source) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.isEmpty() && i == tokens.size() - 1) {
                continue;
            }
            if (vocab.putIfAbsent(t, i) != null) {
                throw new LovtException(source + ": token '" + t + "' appears twice (lines "
                        + (vocab.get(t) + 1) + " and " + (i + 1) + ")");
            }
        }
        for (String s : new String[] {"[PAD]", "[UNK]", "[CLS]", "[SEP]"}) {
            if (!vocab.containsKey(s)) {
                throw new LovtException(source + ": vocabulary has no " + s + " token");
            }
        }
        byte[] json = tokenizerJson(vocab, lowercase);
        DjlOffline.require();
        try (InputStream in = new ByteArrayInputStream(json)) {
            return new WordPieceTokenizer(HuggingFaceTokenizer.newInstance(in, options()), vocab);
        } catch (IOException | RuntimeException e) {
            throw new LovtException(source + ": cannot build the tokenizer: " + e.getMessage(), e);
        }
    }

    /** A tokenizer from a Hugging Face {@code tokenizer.json} (its model must be WordPiece). */
    public static WordPieceTokenizer fromTokenizerJson(Path json) {
        DjlOffline.require();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        try {
            var root = new ObjectMapper().readTree(json.toFile());
            var v = root.path("model").path("vocab");
            if (!"WordPiece".equals(root.path("model").path("type").asText()) || !v.isObject()) {
                throw new LovtException(json + ": not a WordPiece tokenizer.json");
            }
            v.fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
            try (InputStream in = Files.newInputStream(json)) {
                return new WordPieceTokenizer(HuggingFaceTokenizer.newInstance(in, options()), vocab);
            }
        } catch (IOException e) {
            throw new LovtException(json + ": cannot read tokenizer: " + e.getMessage());
        } catch (LovtException e) {
            throw e.getMessage().startsWith(json.toString()) ? e : new LovtException(json + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new LovtException(json + ": cannot build the tokenizer: " + e.getMessage(), e);
        }
    }

    /** Truncation and padding are done by the callers (e.g. LoVT's sentence packing), not by the library. */
    private static Map<String, String> options() {
        return Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
    }

    /** The tokenizer.json that BertTokenizerFast(vocab, do_lower_case) would save. */
    static byte[] tokenizerJson(Map<String, Integer> vocab, boolean lowercase) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : new String[] {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
            Integer id = vocab.get(s);
            if (id != null) {
                added.addObject().put("id", id).put("content", s).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", true);
            }
        }
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).putNull("strip_accents").put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : new String[] {"[CLS]", "[SEP]"}) {
            ObjectNode st = specials.putObject(s);
            st.put("id", s);
            st.putArray("ids").add(vocab.get(s));
            st.putArray("tokens").add(s);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        try {
            return m.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void special(ArrayNode template, String token, int typeId) {
        template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
    }

    /** Tokenizes one text; with {@code addSpecialTokens} the result is {@code [CLS] ... [SEP]}. */
    public Tokens encode(String text, boolean addSpecialTokens) {
        Encoding e = tokenizer.encode(text, addSpecialTokens, false);
        return new Tokens(e.getIds(), e.getTokens());
    }

    /** Tokenizes many texts (in parallel inside the native library). */
    public Tokens[] encodeAll(List<String> texts, boolean addSpecialTokens) {
        Encoding[] es = tokenizer.batchEncode(texts, addSpecialTokens, false);
        Tokens[] out = new Tokens[es.length];
        for (int i = 0; i < es.length; i++) {
            out[i] = new Tokens(es[i].getIds(), es[i].getTokens());
        }
        return out;
    }

    /**
     * {@code [CLS] text [SEP]} truncated on the right to at most {@code maxLength} ids, still ending in
     * {@code [SEP]} (Hugging Face's {@code truncation=True, max_length=maxLength}).
     */
    public long[] encodeTruncated(String text, int maxLength) {
        if (maxLength < 2) {
            throw new LovtException("max_length must leave room for [CLS] and [SEP], got " + maxLength);
        }
        long[] content = encode(text, false).ids();
        int keep = Math.min(content.length, maxLength - 2);
        long[] out = new long[keep + 2];
        out[0] = clsId;
        System.arraycopy(content, 0, out, 1, keep);
        out[keep + 1] = sepId;
        return out;
    }

    /** Text of ids (special tokens skipped), with WordPiece pieces joined. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    /** Vocabulary size (largest id + 1). */
    public int vocabSize() {
        return vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** The id of a token, or -1. */
    public int id(String token) {
        return vocab.getOrDefault(token, -1);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "WordPieceTokenizer[" + vocab.size() + " tokens, specials " + Arrays.asList(clsId, sepId, padId) + "]";
    }
}
