package org.lovt.model;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.nn.AttentionPool;
import org.lovt.text.BertConfig;
import org.lovt.text.BertModel;
import org.lovt.text.ReportBatch;

/**
 * LoVT's {@code ReportEncoderModel} with joint sentence encoding (spec §2): BERT over each packed report, token
 * features with [CLS]/[SEP]/padding removed, sentence features = element-wise max over each sentence's tokens
 * ({@code yl_b}, padded sentences 0), and a global feature from the sentences (attention pool, LoVT) or from all
 * content tokens (max, ConVIRT/CLIP). Names: {@code language_model.<Hugging Face key>},
 * {@code global_aggregator.attention.*}.
 */
public final class ReportEncoder extends org.bytedeco.pytorch.Module {
    public static final int POOL_HEADS = 8;

    private final ReportEncoderConfig config;
    private final BertModel languageModel;
    private final AttentionPool attentionPool;
    private final long d;

    private ReportEncoder(ReportEncoderConfig config, BertModel bert, long d) {
        if (config.localFrom() != ReportEncoderConfig.LocalFrom.SENTENCES
                || config.sentenceEncodingMode() != ReportEncoderConfig.SentenceEncodingMode.JOINT
                || config.projectLanguageEmbeddings()) {
            throw new LovtException("report encoder: only local_from: sentences, sentence_encoding_mode: joint and "
                    + "project_language_embeddings: false are supported (as in every shipped config)");
        }
        if (config.sentenceAggregator() != Aggregator.MAX && config.sentenceAggregator() != Aggregator.AVG) {
            throw new LovtException("report encoder sentence_aggregator " + config.sentenceAggregator()
                    + " is not supported (max or avg)");
        }
        if (config.d() != null && config.d() != d) {
            throw new LovtException("report encoder d " + config.d() + " differs from the language model's hidden "
                    + "size " + d + " (projection of language embeddings is not supported)");
        }
        this.config = config;
        this.d = d;
        languageModel = bert != null ? register_module("language_model", bert) : null;
        if (bert != null) {
            bert.freeze(config.freezeEmbeddings(), config.freezeEncoderLayers());
        }
        attentionPool = config.globalAggregator() == Aggregator.AVGPOOL_ATTENTION
                ? register_module("global_aggregator", new AttentionPool(d, POOL_HEADS)) : null;
        if (config.globalAggregator() == Aggregator.TOKEN_0) {
            throw new LovtException("report encoder global_aggregator token_0 is not supported");
        }
    }

    /** A report encoder with a freshly initialised BERT of the given architecture (load weights separately). */
    public ReportEncoder(ReportEncoderConfig config, BertConfig bert) {
        this(config, new BertModel(bert), bert.hiddenSize());
    }

    /** A report encoder around an existing (e.g. loaded) BERT. */
    public ReportEncoder(ReportEncoderConfig config, BertModel bert) {
        this(config, bert, bert.config().hiddenSize());
    }

    /** Only the aggregator, for sentence features computed elsewhere (verification of the alignment part). */
    public static ReportEncoder withoutLanguageModel(ReportEncoderConfig config, long d) {
        return new ReportEncoder(config, null, d);
    }

    public ReportEncoderConfig config() {
        return config;
    }

    public BertModel languageModel() {
        return languageModel;
    }

    public long localDim() {
        return d;
    }

    /** Packed reports → sentence features, global feature, sentence mask and (optionally) the pool's weights. */
    public EncoderOutput forward(ReportBatch batch) {
        if (languageModel == null) {
            throw new LovtException("this report encoder has no language model");
        }
        Tensor hidden = languageModel.forward(batch.inputIds(), batch.attentionMask()).lastHiddenState(); // (B,T,d)
        long b = hidden.size(0);
        long t = hidden.size(1);
        Tensor flat = hidden.reshape(b * t, d);                                                // (B·T, d)
        Tensor tokenMask = batch.sentenceTokenMask();                                          // (B, N_b, N_tok)
        long nb = tokenMask.size(1);
        long nt = tokenMask.size(2);
        Tensor tokens = flat.index_select(0, batch.sentenceTokenIndex().reshape(-1)).reshape(b, nb, nt, d);
        Tensor sentences = config.sentenceAggregator() == Aggregator.MAX
                ? Pooling.max(tokens.reshape(b * nb, nt, d), tokenMask.reshape(b * nb, nt))
                : Pooling.avg(tokens.reshape(b * nb, nt, d), tokenMask.reshape(b * nb, nt));
        Tensor mask = batch.sentenceMask();                                                    // (B, N_b)
        Tensor yl = sentences.reshape(b, nb, d)
                .masked_fill(mask.logical_not().unsqueeze(-1), new Scalar(0.0));               // (B, N_b, d)
        if (config.globalFromLocal()) {
            return aggregate(yl, mask);
        }
        // Global from all content tokens: real tokens that are not [CLS]/[SEP].
        Tensor content = batch.attentionMask().mul(torch.ones_like(batch.specialTokensMask())
                .sub(batch.specialTokensMask())).to(torch.ScalarType.Bool);                    // (B, T)
        Tensor g = switch (config.globalAggregator()) {
            case MAX -> Pooling.max(hidden, content);
            case AVG -> Pooling.avg(hidden, content);
            case AVGPOOL_ATTENTION -> attentionPool.forward(hidden, content).pooled();
            case TOKEN_0 -> throw new LovtException("token_0 aggregation is not supported");
        };
        return new EncoderOutput(yl, g, mask, null, new int[] {(int) nb});
    }

    /** Global feature from sentence features yl (B, N_b, d) with mask (B, N_b). */
    public EncoderOutput aggregate(Tensor yl, Tensor mask) {
        Tensor g;
        Tensor weights = null;
        switch (config.globalAggregator()) {
            case AVGPOOL_ATTENTION -> {
                AttentionPool.Output p = attentionPool.forward(yl, mask);
                g = p.pooled();
                weights = config.localWeightsFromAggregator() ? p.weights() : null;
            }
            case MAX -> g = Pooling.max(yl, mask);
            case AVG -> g = Pooling.avg(yl, mask);
            default -> throw new LovtException("token_0 aggregation is not supported");
        }
        return new EncoderOutput(yl, g, mask, weights, new int[] {(int) yl.size(1)});
    }
}
