package org.lovt.data;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovt.LovtException;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.text.ReportAugmentation;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

/**
 * LoVT's per-sample pre-training pipeline ({@code BiModalTransform} + {@code ScanDataTransform}; spec lovt-model
 * §5.1, §2.6): one of the study's frontal images chosen uniformly at random (in training <em>and</em> validation,
 * as the original does; no draw when there is only one), the scan transform, the report augmentation (training
 * only; validation keeps the full report), and the labels. {@link #collate} stacks examples into a
 * {@link PretrainingBatch}.
 *
 * <p>Each sample's stream is used as: view index, then two independent child streams ({@link SplittableRandom#split})
 * for the scan and the report, so that changing one augmentation never shifts the other's draws.
 */
public final class PretrainingPipeline {
    private final ScanTransform scan;
    private final ReportAugmentation report;
    private final ScanImageSource images;

    private PretrainingPipeline(ScanTransform scan, ReportAugmentation report, ScanImageSource images) {
        this.scan = scan;
        this.report = report;
        this.images = images;
    }

    /** Training: augmented scans and reports. */
    public static PretrainingPipeline train(ScanTransform scan, ReportAugmentation report, ScanImageSource images) {
        return new PretrainingPipeline(scan, report, images);
    }

    /** Validation/test: {@code scan} should be a validation transform; reports are kept whole. */
    public static PretrainingPipeline validation(ScanTransform scan, ScanImageSource images) {
        return new PretrainingPipeline(scan, null, images);
    }

    /** The example of one study. */
    public ScanReportExample apply(ScanReportSample s, SplittableRandom rnd) {
        List<Path> views = s.images();
        if (views == null || views.isEmpty()) {
            throw new LovtException("study " + s.studyId() + " has no frontal image");
        }
        int view = views.size() > 1 ? rnd.nextInt(views.size()) : 0;
        SplittableRandom scanRnd = rnd.split();
        SplittableRandom reportRnd = rnd.split();
        Path path = views.get(view);
        float[] x;
        try {
            x = scan.apply(images.load(path), scanRnd);
        } catch (RuntimeException e) {
            String msg = e.getMessage() != null && e.getMessage().contains(path.toString()) ? e.getMessage()
                    : path + ": " + e.getMessage();
            throw new LovtException("study " + s.studyId() + ", image " + msg, e);
        }
        List<String> sentences = report != null ? report.apply(s.sentences(), reportRnd) : List.copyOf(s.sentences());
        return new ScanReportExample(s.studyId(), view, path, x, sentences, s.chexpert().clone());
    }

    /** The dataset as a loader source (samples described by study id and first image). */
    public SampleSource<ScanReportExample> source(Dataset<ScanReportSample> dataset) {
        return SampleSource.of(dataset, this::apply,
                s -> "study " + s.studyId() + (s.images().isEmpty() ? "" : ", " + s.images().get(0)));
    }

    /** A loader over {@code dataset} with this pipeline and {@link #collate}. */
    public DataLoader<ScanReportExample, PretrainingBatch> loader(Dataset<ScanReportSample> dataset,
                                                                  LoaderOptions options) {
        return new DataLoader<>(source(dataset), PretrainingPipeline::collate, options);
    }

    /** Stacks examples: scans (B, 3, H, W), labels (B, 5), ids and sentence lists in order. */
    public static PretrainingBatch collate(List<ScanReportExample> examples) {
        if (examples.isEmpty()) {
            throw new LovtException("cannot collate an empty batch");
        }
        int b = examples.size();
        int per = examples.get(0).scan().length;
        int side = (int) Math.round(Math.sqrt(per / 3.0));
        if (3 * side * side != per) {
            throw new LovtException("scan of " + per + " floats is not (3, H, H)");
        }
        int labels = examples.get(0).chexpert().length;
        ByteBuffer scans = PretrainingBatch.floats(b * per);
        ByteBuffer chexpert = PretrainingBatch.floats(b * labels);
        FloatBuffer sf = scans.asFloatBuffer();
        FloatBuffer lf = chexpert.asFloatBuffer();
        List<String> ids = new ArrayList<>(b);
        List<List<String>> sentences = new ArrayList<>(b);
        for (ScanReportExample e : examples) {
            if (e.scan().length != per || e.chexpert().length != labels) {
                throw new LovtException("study " + e.studyId() + " has a scan of " + e.scan().length
                        + " floats and " + e.chexpert().length + " labels, the batch's first has " + per + " and "
                        + labels);
            }
            sf.put(e.scan());
            lf.put(e.chexpert());
            ids.add(e.studyId());
            sentences.add(e.sentences());
        }
        return new PretrainingBatch(List.copyOf(ids),
                new HostTensor(DType.F32, new long[] {b, 3, side, side}, scans), List.copyOf(sentences),
                new HostTensor(DType.F32, new long[] {b, labels}, chexpert));
    }
}
