package org.lovt.text;

import org.bytedeco.pytorch.Tensor;

/**
 * A batch of reports packed for the report encoder: every report's sentences joined into one BERT sequence
 * ({@code [CLS] s1 s2 ... [SEP]}, right-padded), plus the bookkeeping to split the token features back into
 * sentences (the original's {@code BatchSentenceSplitsInfo}).
 *
 * @param inputIds          (B, T) int64
 * @param attentionMask     (B, T) int64, 1 for real tokens
 * @param specialTokensMask (B, T) int64, 1 at [CLS], [SEP] and padding
 * @param sentenceMask      (B, N_b) bool, true for real sentences
 * @param sentenceTokenIndex (B, N_b, N_tok) int64 index of each sentence token in the flattened (B·T) sequence
 *                          (0 where {@code sentenceTokenMask} is false)
 * @param sentenceTokenMask (B, N_b, N_tok) bool
 * @param keptSentences     per report, the indices (into its input sentence list) of the sentences that were
 *                          packed, in order: zero-token sentences and those that did not fit are left out
 */
public record ReportBatch(Tensor inputIds, Tensor attentionMask, Tensor specialTokensMask, Tensor sentenceMask,
                          Tensor sentenceTokenIndex, Tensor sentenceTokenMask, int[][] keptSentences) {

    public int batchSize() {
        return keptSentences.length;
    }

    /** N_b, the largest number of packed sentences of a report in this batch. */
    public long maxSentences() {
        return sentenceMask.size(1);
    }

    /** The batch's tensors on {@code device} (this batch itself on the CPU). */
    public ReportBatch to(org.bytedeco.pytorch.Device device) {
        if (device.is_cpu()) {
            return this;
        }
        return new ReportBatch(inputIds.to(device, org.bytedeco.pytorch.global.torch.ScalarType.Long),
                attentionMask.to(device, org.bytedeco.pytorch.global.torch.ScalarType.Long),
                specialTokensMask.to(device, org.bytedeco.pytorch.global.torch.ScalarType.Long),
                sentenceMask.to(device, org.bytedeco.pytorch.global.torch.ScalarType.Bool),
                sentenceTokenIndex.to(device, org.bytedeco.pytorch.global.torch.ScalarType.Long),
                sentenceTokenMask.to(device, org.bytedeco.pytorch.global.torch.ScalarType.Bool), keptSentences);
    }
}
