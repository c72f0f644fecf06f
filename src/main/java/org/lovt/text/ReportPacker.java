package org.lovt.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.torch.Tensors;

/**
 * LoVT's {@code ReportJointSentenceBatchCollator} (spec lovt-model §2.2): each sentence is tokenized without special
 * tokens and cut to {@code maxLength − 2} tokens; sentences are appended in order while they fit in
 * {@code maxLength − 2} content tokens; the first that does not fit and every later one are dropped (no partial
 * sentences, no skipping ahead). Zero-token sentences are dropped too (the original would produce a −∞ feature).
 *
 * <p>Report sentences repeat a lot (in MIMIC-CXR as in the synthetic reports), so the token ids of the last
 * {@value #CACHE_SENTENCES} distinct sentences are kept, and the sentences of a batch that are not among them go to
 * the tokenizer in one call. Thread-safe.
 */
public final class ReportPacker {
    /** How many distinct sentences' token ids are kept (least recently used ones are dropped first). */
    static final int CACHE_SENTENCES = 1 << 16;

    private final WordPieceTokenizer tokenizer;
    private final int maxLength;
    private final Map<String, long[]> cache;

    public ReportPacker(WordPieceTokenizer tokenizer, int maxLength) {
        this(tokenizer, maxLength, CACHE_SENTENCES);
    }

    ReportPacker(WordPieceTokenizer tokenizer, int maxLength, int cacheSentences) {
        if (maxLength < 3) {
            throw new LovtException("report max_length must be at least 3, got " + maxLength);
        }
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > cacheSentences;
            }
        };
    }

    /** Packs a batch of reports, each a list of sentences. Every report must keep at least one sentence. */
    public ReportBatch pack(List<List<String>> reports) {
        int b = reports.size();
        if (b == 0) {
            throw new LovtException("cannot pack an empty batch of reports");
        }
        int content = maxLength - 2;
        List<List<long[]>> kept = new ArrayList<>();
        int[][] keptIndex = new int[b][];
        int maxTokens = 0;
        int maxSentences = 0;
        int maxSentenceTokens = 0;
        Map<String, long[]> tokens = tokenize(reports);
        for (int i = 0; i < b; i++) {
            List<String> sentences = reports.get(i);
            List<long[]> sample = new ArrayList<>();
            List<Integer> idx = new ArrayList<>();
            int length = 0;
            for (int s = 0; s < sentences.size(); s++) {
                long[] ids = tokens.get(sentences.get(s));
                if (ids.length == 0) {
                    continue;
                }
                if (ids.length > content) {
                    ids = java.util.Arrays.copyOf(ids, content);
                }
                if (length + ids.length > content) {
                    break;
                }
                sample.add(ids);
                idx.add(s);
                length += ids.length;
                maxSentenceTokens = Math.max(maxSentenceTokens, ids.length);
            }
            if (sample.isEmpty()) {
                throw new LovtException("report " + i + " of the batch has no sentence with tokens: " + sentences);
            }
            kept.add(sample);
            keptIndex[i] = idx.stream().mapToInt(Integer::intValue).toArray();
            maxTokens = Math.max(maxTokens, length + 2);
            maxSentences = Math.max(maxSentences, sample.size());
        }
        long[] ids = new long[b * maxTokens];
        long[] attention = new long[b * maxTokens];
        long[] special = new long[b * maxTokens];
        boolean[] sentenceMask = new boolean[b * maxSentences];
        long[] tokenIndex = new long[b * maxSentences * maxSentenceTokens];
        boolean[] tokenMask = new boolean[b * maxSentences * maxSentenceTokens];
        java.util.Arrays.fill(special, 1);
        java.util.Arrays.fill(ids, tokenizer.padId());
        for (int i = 0; i < b; i++) {
            int row = i * maxTokens;
            ids[row] = tokenizer.clsId();
            attention[row] = 1;
            int pos = 1;
            List<long[]> sample = kept.get(i);
            for (int s = 0; s < sample.size(); s++) {
                sentenceMask[i * maxSentences + s] = true;
                long[] sent = sample.get(s);
                for (int t = 0; t < sent.length; t++) {
                    ids[row + pos] = sent[t];
                    attention[row + pos] = 1;
                    special[row + pos] = 0;
                    int slot = (i * maxSentences + s) * maxSentenceTokens + t;
                    tokenIndex[slot] = row + pos;
                    tokenMask[slot] = true;
                    pos++;
                }
            }
            ids[row + pos] = tokenizer.sepId();
            attention[row + pos] = 1;
        }
        return new ReportBatch(Tensors.longs(ids, b, maxTokens), Tensors.longs(attention, b, maxTokens),
                Tensors.longs(special, b, maxTokens), Tensors.bools(sentenceMask, b, maxSentences),
                Tensors.longs(tokenIndex, b, maxSentences, maxSentenceTokens),
                Tensors.bools(tokenMask, b, maxSentences, maxSentenceTokens), keptIndex);
    }

    /** Token ids (no special tokens) of every sentence of the batch; the arrays are shared, not to be changed. */
    private Map<String, long[]> tokenize(List<List<String>> reports) {
        Map<String, long[]> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        synchronized (cache) {
            for (List<String> report : reports) {
                for (String sentence : report) {
                    if (!out.containsKey(sentence)) {
                        long[] ids = cache.get(sentence);
                        out.put(sentence, ids);
                        if (ids == null) {
                            missing.add(sentence);
                        }
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            WordPieceTokenizer.Tokens[] enc = tokenizer.encodeAll(missing, false);
            synchronized (cache) {
                for (int i = 0; i < enc.length; i++) {
                    out.put(missing.get(i), enc[i].ids());
                    cache.put(missing.get(i), enc[i].ids());
                }
            }
        }
        return out;
    }

    /** How many sentences' token ids are cached now. */
    int cachedSentences() {
        synchronized (cache) {
            return cache.size();
        }
    }
}
