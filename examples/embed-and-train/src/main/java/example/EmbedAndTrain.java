package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lovt.api.Heatmap;
import org.lovt.api.LovtEncoder;
import org.lovt.api.Pretraining;
import org.lovt.api.PretrainingData;
import org.lovt.api.PretrainingListener;
import org.lovt.api.PretrainingResult;
import org.lovt.api.ReportEmbedding;
import org.lovt.api.ScanBackbone;
import org.lovt.api.ScanEmbedding;

/**
 * Uses LoVT for the JVM as a library: pre-trains a tiny LoVT on generated chest X-rays for a few steps, embeds a
 * scan and a report, grounds a sentence and writes the heatmap as a PNG, and loads the exported backbone. Only the
 * public API ({@code org.lovt.api}) is used.
 */
public final class EmbedAndTrain {
    /** LoVT_100 shrunk to run in seconds on a CPU: a tiny ResNet and BERT, 64-pixel scans. */
    static final List<String> TINY_LOVT = List.of("+experiment=LoVT_100", "name=example", "seed=3",
            "pretrain_model.encoder_b.language_encoder=lovt/tiny-bert",
            "pretrain_model.encoder_b.freeze_embeddings=false", "pretrain_model.encoder_b.freeze_encoder_layers=0",
            "pretrain_model.encoder_b.max_length=64",
            "++pretrain_model.encoder_a.backbone_args.stem_width=8",
            "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]",
            "pretrain_model.encoder_a.region_feature_layer=conv3", "pretrain_model.encoder_a.input_size=[64,64]",
            "pretrain_model.d_z=32", "pretrain_model.d_hidden=64", "pretrain_model.batch_size=16",
            "trainer.accumulate_grad_batches=1", "~online_eval");

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "example-output");
        Files.createDirectories(out);

        PretrainingData data = PretrainingData.generateSynthetic(out.resolve("data"), 3, 64, 16, 4, 64);
        PretrainingResult run = Pretraining.builder()
                .overrides(TINY_LOVT)
                .data(data)
                .runDir(out.resolve("run"))
                .maxEpochs(2)
                .ignoreUserConfig()
                .listener(new PretrainingListener() {
                    @Override
                    public void onEpoch(int epoch, Map<String, Double> validation, double monitored, boolean best) {
                        System.out.printf(Locale.ROOT, "example: epoch %d validation loss %.4f%s%n", epoch + 1,
                                monitored, best ? " (best)" : "");
                    }
                })
                .build()
                .run();
        System.out.printf(Locale.ROOT, "example: pre-trained %d epochs, %d optimizer steps, run folder %s%n",
                run.epochs(), run.optimizerSteps(), run.runDir());

        Path image = out.resolve("data/test/images/000000.png");
        String sentence = "There is a small left pleural effusion.";
        try (LovtEncoder lovt = LovtEncoder.fromRun(run.runDir())) {
            ScanEmbedding scan = lovt.embedScan(image);
            System.out.printf(Locale.ROOT, "example: scan %s -> global %d-d, %dx%d regions of %d, shared space %d-d%n",
                    image.getFileName(), scan.global().length, scan.gridHeight(), scan.gridWidth(),
                    scan.regions()[0].length, scan.projectedGlobal().length);
            ReportEmbedding report = lovt.embedReport("The heart size is normal. " + sentence);
            System.out.printf(Locale.ROOT, "example: report -> %d sentences, global %d-d%n",
                    report.sentences().size(), report.projectedGlobal().length);
            Heatmap heatmap = lovt.ground(image, sentence);
            int[] peak = heatmap.peak();
            Path png = heatmap.writePng(out.resolve("heatmap.png"));
            System.out.printf(Locale.ROOT, "example: '%s' looks most at region row %d col %d (weight %.3f); %s%n",
                    sentence, peak[0], peak[1], heatmap.weight(peak[0], peak[1]), png);
        }
        ScanBackbone backbone = ScanBackbone.load(run.backbone());
        ScanEmbedding features = backbone.embedScan(image);
        System.out.printf(Locale.ROOT, "example: %s%nexample: backbone features %dx%d regions of %d%n", backbone,
                features.gridHeight(), features.gridWidth(), features.regions()[0].length);
    }
}
