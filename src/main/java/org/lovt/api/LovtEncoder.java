package org.lovt.api;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.config.ConfigLoader;
import org.lovt.data.datasets.mimic.ReportSentenceSplitter;
import org.lovt.data.image.GrayImage;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.EncoderOutput;
import org.lovt.model.LovtModel;
import org.lovt.model.LovtModels;
import org.lovt.model.ModalityModel;
import org.lovt.model.ReportEncoder;
import org.lovt.model.ScanEncoder;
import org.lovt.model.Backbones;
import org.lovt.nn.CrossAttention;
import org.lovt.text.BertModel;
import org.lovt.text.ReportBatch;
import org.lovt.text.ReportPacker;
import org.lovt.text.WordPieceTokenizer;
import org.lovt.torch.Devices;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.train.Experiments;
import org.lovt.train.PreTrainExperimentConfig;

/**
 * A pre-trained LoVT model, ready to embed scans and reports and to ground report sentences in scans. Load one
 * from a run folder ({@link #fromRun}) or from an original LoVT checkpoint ({@link #fromOriginalCheckpoint}); for
 * a scan backbone alone, see {@link ScanBackbone}.
 *
 * <pre>{@code
 * try (LovtEncoder lovt = LovtEncoder.fromRun(Path.of("runs/LoVT_100-20261204-101500"))) {
 *     ScanEmbedding scan = lovt.embedScan(Path.of("cxr.jpg"));          // y_g, 7x7 regions, z_g, z_l
 *     ReportEmbedding report = lovt.embedReport("FINDINGS: ... IMPRESSION: ...");
 *     lovt.ground(Path.of("cxr.jpg"), "Small left pleural effusion.").writePng(Path.of("effusion.png"));
 * }
 * }</pre>
 *
 * <p>Inputs go through the same preprocessing as pre-training's validation data (the run's input size and pixel
 * statistics), so embeddings equal those of the pre-training model's own encoders. Models run in evaluation mode
 * without gradients. Not thread-safe; close it to free the native memory of its weights.
 */
public final class LovtEncoder implements AutoCloseable {
    /** Scans per forward pass when embedding many. */
    static final int BATCH = 16;

    private final LovtModel model;
    private final WordPieceTokenizer tokenizer;
    private final ReportPacker packer;
    private final ScanInput input;
    private final Device device;
    private final String source;
    /** A view of a model being trained: it does not own the tokenizer and leaves the model's mode to the trainer. */
    private final boolean view;
    private boolean closed;

    private LovtEncoder(LovtModel model, WordPieceTokenizer tokenizer, double pixelMean, double pixelStd,
                        String source) {
        this(model, tokenizer, pixelMean, pixelStd, source, Devices.best(), false);
    }

    private LovtEncoder(LovtModel model, WordPieceTokenizer tokenizer, double pixelMean, double pixelStd,
                        String source, Device device, boolean view) {
        this.model = model;
        this.view = view;
        this.tokenizer = tokenizer;
        BiModalModelConfig c = model.config();
        this.packer = new ReportPacker(tokenizer, c.encoderB().maxLength());
        int size = c.encoderA().inputSize().get(0);
        this.input = new ScanInput(c.encoderA().dataAugmentation(), size, pixelMean, pixelStd);
        this.device = device;
        this.source = source;
        if (!view) {
            model.to(device, false);
            model.eval();
        }
    }

    /**
     * The model of a run in progress, for evaluators and listeners: it shares the weights (no copy) and switches
     * the model to evaluation mode for each call, restoring training mode afterwards.
     */
    static LovtEncoder view(LovtModel model, WordPieceTokenizer tokenizer, double pixelMean, double pixelStd,
                            Device device, String source) {
        return new LovtEncoder(model, tokenizer, pixelMean, pixelStd, source, device, true);
    }

    /** The packer of reports (tokenizer and {@code max_length} of the model). */
    ReportPacker packer() {
        return packer;
    }

    /** The scan preprocessing (input size, pixel statistics, resize mode). */
    ScanInput input() {
        return input;
    }

    /** The device the model is on. */
    Device device() {
        return device;
    }

    /** Runs {@code body} in evaluation mode; a view restores the mode the trainer had set. */
    <T> T inEval(java.util.function.Supplier<T> body) {
        if (!view) {
            return body.get();
        }
        boolean training = model.is_training();
        model.eval();
        try {
            return body.get();
        } finally {
            model.train(training);
        }
    }

    /**
     * The model of a run folder written by {@link Pretraining} or {@code lovt pretrain}: its {@code best}
     * checkpoint, else its {@code last}.
     */
    public static LovtEncoder fromRun(Path runDir) {
        Natives.load();
        if (!Files.isDirectory(runDir)) {
            throw new LovtException(runDir + ": no such run folder");
        }
        Path config = runDir.resolve("config.yaml");
        if (!Files.isRegularFile(config)) {
            throw new LovtException(runDir + ": not a run folder (no config.yaml)");
        }
        PreTrainExperimentConfig experiment = ConfigLoader.loadFile(config).bind(PreTrainExperimentConfig.class);
        ModelFiles.RunModel files = ModelFiles.readRunModel(runDir);
        Path checkpoint = ModelFiles.bestCheckpoint(runDir).orElseThrow(() -> new LovtException(runDir
                + ": the run has no checkpoint yet (checkpoints/best or checkpoints/last)"));
        BiModalModelConfig c = experiment.pretrainModel();
        ModelFiles.ScanInfo scan = files.scan();
        if (scan.inputSize() != c.encoderA().inputSize().get(0)
                || !scan.regionFeatureLayer().equals(c.encoderA().regionFeatureLayer())) {
            throw new LovtException(runDir.resolve(ModelFiles.MODEL_JSON) + ": input size " + scan.inputSize()
                    + " / region layer " + scan.regionFeatureLayer() + " disagree with config.yaml ("
                    + c.encoderA().inputSize() + ", " + c.encoderA().regionFeatureLayer() + ")");
        }
        Path vocab = runDir.resolve(files.vocab());
        WordPieceTokenizer tok = WordPieceTokenizer.fromVocab(vocab, files.lowercase());
        try {
            if (tok.vocabSize() != files.bert().vocabSize()) {
                throw new LovtException(vocab + ": " + tok.vocabSize() + " tokens, but the language model has a "
                        + "vocabulary of " + files.bert().vocabSize());
            }
            LovtModel model = new LovtModel(c, new ScanEncoder(c.encoderA(), scan.resnet()),
                    new ReportEncoder(c.encoderB(), new BertModel(files.bert())));
            LovtModels.loadCheckpoint(model, checkpoint);
            return new LovtEncoder(model, tok, scan.pixelMean(), scan.pixelStd(), checkpoint.toString());
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /**
     * A checkpoint of the original LoVT code ({@code .ckpt} of its Lightning module) for a shipped experiment.
     *
     * @param checkpoint the {@code .ckpt}
     * @param experiment the experiment it was trained with ({@code LoVT_100}, ...)
     * @param overrides  further config overrides it was trained with (usually none)
     * @param vocab      the language model's {@code vocab.txt} (Bio_ClinicalBERT's for the paper's models)
     * @param pixelMean  the training data's pixel mean in [0, 1] ({@code dataset_statistics.json} of the prepared
     *                   MIMIC-CXR folder)
     * @param pixelStd   its pixel standard deviation
     */
    public static LovtEncoder fromOriginalCheckpoint(Path checkpoint, String experiment, List<String> overrides,
                                                     Path vocab, double pixelMean, double pixelStd) {
        Natives.load();
        BiModalModelConfig c = Experiments.model(experiment, overrides);
        WordPieceTokenizer tok = WordPieceTokenizer.fromVocab(vocab, true);
        try {
            var arch = Backbones.bert(c.encoderB().languageEncoder());
            BertModel bert = new BertModel(new org.lovt.text.BertConfig(tok.vocabSize(), arch.hiddenSize(),
                    arch.numHiddenLayers(), arch.numAttentionHeads(), arch.intermediateSize(), arch.hiddenAct(),
                    arch.hiddenDropoutProb(), arch.attentionProbsDropoutProb(), arch.maxPositionEmbeddings(),
                    arch.typeVocabSize(), arch.initializerRange(), arch.layerNormEps(), tok.padId()));
            LovtModel model = new LovtModel(c, new ScanEncoder(c.encoderA(), Backbones.resnet(c.encoderA())),
                    new ReportEncoder(c.encoderB(), bert));
            LovtModels.loadCheckpoint(model, checkpoint);
            return new LovtEncoder(model, tok, pixelMean, pixelStd, checkpoint.toString());
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /** The side of the square model input in pixels. */
    public int inputSize() {
        return input.size();
    }

    /** Embeds an image file (PNG, JPEG, ...; DICOM files are converted by {@code lovt prepare} first). */
    public ScanEmbedding embedScan(Path image) {
        return embedGray(List.of(ScanInput.decode(image))).get(0);
    }

    /** Embeds image files, several per forward pass. */
    public List<ScanEmbedding> embedScans(List<Path> images) {
        List<ScanEmbedding> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i += BATCH) {
            List<GrayImage> batch = new ArrayList<>();
            for (Path p : images.subList(i, Math.min(images.size(), i + BATCH))) {
                batch.add(ScanInput.decode(p));
            }
            out.addAll(embedGray(batch));
        }
        return out;
    }

    /** Embeds an image in memory (converted to grayscale). */
    public ScanEmbedding embedScan(BufferedImage image) {
        return embedGray(List.of(ScanInput.fromBufferedImage(image))).get(0);
    }

    /** Embeds a grayscale image given as row-major values in [0, 1] (quantised to 8 bits like training images). */
    public ScanEmbedding embedScan(float[] pixels, int width, int height) {
        return embedGray(List.of(ScanInput.fromFloats(pixels, width, height))).get(0);
    }

    /**
     * Embeds a free-text report: it is split into sentences the way MIMIC-CXR reports are for pre-training
     * (section headings such as {@code FINDINGS:} are kept as text; pass only the sections you want).
     */
    public ReportEmbedding embedReport(String report) {
        List<String> sentences = new ReportSentenceSplitter().split(Objects.requireNonNull(report, "report"))
                .sentences();
        if (sentences.isEmpty()) {
            throw new LovtException("the report has no sentence: '" + report + "'");
        }
        return embedSentences(sentences);
    }

    /** Embeds a report given as its sentences. */
    public ReportEmbedding embedSentences(List<String> sentences) {
        open();
        if (sentences.isEmpty()) {
            throw new LovtException("a report needs at least one sentence");
        }
        return inEval(() -> encodeSentences(sentences));
    }

    private ReportEmbedding encodeSentences(List<String> sentences) {
        try (Scope s = Scope.open(); NoGradGuard g = new NoGradGuard()) {
            ReportBatch rb = toDevice(packer.pack(List.of(List.copyOf(sentences))));
            EncoderOutput eb = model.reportEncoder().forward(rb);
            ModalityModel.Projected pb = model.projectReport(eb);
            int n = rb.keptSentences()[0].length;
            List<String> kept = new ArrayList<>();
            for (int k : rb.keptSentences()[0]) {
                kept.add(sentences.get(k));
            }
            return new ReportEmbedding(kept, Tensors.toFloats(eb.global()), rows(eb.local(), n),
                    Tensors.toFloats(pb.zg()), rows(pb.zl(), n));
        }
    }

    /** Where {@code sentence} looks in the scan {@code image}: LoVT's sentence→region attention. */
    public Heatmap ground(Path image, String sentence) {
        return ground(ScanInput.decode(image), sentence);
    }

    /** {@link #ground(Path, String)} for an image in memory. */
    public Heatmap ground(BufferedImage image, String sentence) {
        return ground(ScanInput.fromBufferedImage(image), sentence);
    }

    private Heatmap ground(GrayImage image, String sentence) {
        open();
        Objects.requireNonNull(sentence, "sentence");
        ScanInput.Prepared p = input.prepare(image);
        return inEval(() -> attention(p, sentence));
    }

    private Heatmap attention(ScanInput.Prepared p, String sentence) {
        try (Scope s = Scope.open(); NoGradGuard g = new NoGradGuard()) {
            ReportBatch rb = toDevice(packer.pack(List.of(List.of(sentence))));
            if (rb.keptSentences()[0].length == 0) {
                throw new LovtException("the sentence has no token the model can read: '" + sentence + "'");
            }
            EncoderOutput ea = model.scanEncoder().forward(scans(List.of(p)));
            EncoderOutput eb = model.reportEncoder().forward(rb);
            CrossAttention.Output att = model.attention(ea, eb);
            float[] w = Tensors.toFloats(att.probsA2b());                        // (1, 1, H·W)
            return new Heatmap(sentence, w, ea.structure()[0], ea.structure()[1], p.image(), p.size());
        }
    }

    /** The model this encoder runs (for code inside this library, such as evaluators). */
    LovtModel model() {
        return model;
    }

    private List<ScanEmbedding> embedGray(List<GrayImage> images) {
        open();
        List<ScanInput.Prepared> prepared = new ArrayList<>();
        for (GrayImage g : images) {
            prepared.add(input.prepare(g));
        }
        return inEval(() -> encodeScans(prepared));
    }

    private List<ScanEmbedding> encodeScans(List<ScanInput.Prepared> prepared) {
        try (Scope s = Scope.open(); NoGradGuard g = new NoGradGuard()) {
            EncoderOutput ea = model.scanEncoder().forward(scans(prepared));
            ModalityModel.Projected pa = model.projectScan(ea);
            return split(ea, pa, prepared.size());
        }
    }

    static List<ScanEmbedding> split(EncoderOutput ea, ModalityModel.Projected pa, int b) {
        int gh = ea.structure()[0];
        int gw = ea.structure()[1];
        float[][] yl = rows(ea.local(), b * gh * gw);
        float[][] yg = rows(ea.global(), b);
        float[][] zl = pa == null ? null : rows(pa.zl(), b * gh * gw);
        float[][] zg = pa == null ? null : rows(pa.zg(), b);
        List<ScanEmbedding> out = new ArrayList<>();
        int n = gh * gw;
        for (int i = 0; i < b; i++) {
            out.add(new ScanEmbedding(yg[i], java.util.Arrays.copyOfRange(yl, i * n, (i + 1) * n), gh, gw,
                    zg == null ? null : zg[i], zl == null ? null : java.util.Arrays.copyOfRange(zl, i * n,
                    (i + 1) * n)));
        }
        return out;
    }

    /** The first {@code n} rows of a tensor whose last dimension is the feature (leading dimensions flattened). */
    static float[][] rows(Tensor t, int n) {
        long d = t.size(t.dim() - 1);
        float[] all = Tensors.toFloats(t);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(all, (int) (i * d), (int) ((i + 1) * d));
        }
        return out;
    }

    /** (B, 3, S, S) prepared scans on the model's device (for evaluators in this package). */
    Tensor scans(List<ScanInput.Prepared> prepared) {
        int size = input.size();
        float[] all = new float[prepared.size() * 3 * size * size];
        for (int i = 0; i < prepared.size(); i++) {
            System.arraycopy(prepared.get(i).chw(), 0, all, i * 3 * size * size, 3 * size * size);
        }
        Tensor t = Tensors.floats(all, prepared.size(), 3, size, size);            // (B, 3, S, S)
        return device.is_cpu() ? t : t.to(device, t.scalar_type());
    }

    /** A packed report batch on the model's device (for evaluators in this package). */
    ReportBatch toDevice(ReportBatch r) {
        return r.to(device);
    }

    /** Fails when this encoder is closed (also for evaluators in this package). */
    void open() {
        if (closed) {
            throw new IllegalStateException("this LovtEncoder (" + source + ") is closed");
        }
    }

    /**
     * Frees the tokenizer; the model's weights are freed when it is garbage collected. The view of a run in
     * progress handed to listeners and evaluators cannot be closed (it does nothing).
     */
    @Override
    public void close() {
        if (!closed && !view) {
            closed = true;
            tokenizer.close();
        }
    }
}
