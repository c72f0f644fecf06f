package org.lovt.data.datasets.rsna;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.DicomImages;
import org.lovt.data.datasets.prepare.DownstreamPreparer;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.LevelImage;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.Processed;
import org.lovt.data.datasets.prepare.Sources;
import org.lovt.data.datasets.prepare.Splits;
import org.lovt.util.StagingDir;

/**
 * RSNA Pneumonia Detection (Kaggle stage 2; spec lovt-data-eval.md §2.1), for both the detection and the
 * segmentation tasks.
 *
 * <p>Reads {@code stage_2_train_labels.csv} and {@code stage_2_train_images/<patientId>.dcm}; writes
 * <pre>
 * stage_2_train_images_processed/&lt;id&gt;.png   the DICOM pixel_array unchanged (8-bit; no equalisation)
 * stage_2_train_masks/&lt;id&gt;.gif              the boxes as a mask (target "opacity")
 * {train,validation,test}.csv                 ID,boxes,classes (x;y;w;h in pixels, class 1)
 * dataset_statistics.json                     num_samples, scan.pixel_mean/std (raw / 255), patient_ids
 * </pre>
 * Random split: {@code random_split_indices} with 20 % test and 20 % validation.
 */
public final class RsnaPreparer extends DownstreamPreparer<RsnaPatient> {
    static final String LABELS = "stage_2_train_labels.csv";
    static final String IMAGES = "stage_2_train_images";
    static final String PROCESSED = "stage_2_train_images_processed";
    static final String MASKS = "stage_2_train_masks";

    @Override
    public String name() {
        return "rsna";
    }

    @Override
    protected List<RsnaPatient> readSamples(Path src, PrepareOptions options, PrepareReport report) {
        Sources.dir(src, IMAGES);
        return RsnaLabels.read(Sources.file(src, LABELS), report);
    }

    @Override
    protected Splits<RsnaPatient> randomSplits(Path src, List<RsnaPatient> samples, PrepareOptions o,
                                             PrepareReport report) {
        return Splits.byIndices(samples, o.testFraction(), o.valFraction(), o.random());
    }

    @Override
    protected String id(RsnaPatient p) {
        return p.id();
    }

    @Override
    protected String sourceFile(Path src, RsnaPatient p) {
        return src.resolve(IMAGES).resolve(p.id() + ".dcm").toString();
    }

    @Override
    protected void createFolders(StagingDir out) {
        out.mkdirs(PROCESSED);
        out.mkdirs(MASKS);
    }

    @Override
    protected Processed process(Path src, RsnaPatient p, Path out, PrepareOptions o, PrepareReport report) {
        if (p.problem() != null) {
            throw new LovtException(p.problem());
        }
        Path file = src.resolve(IMAGES).resolve(p.id() + ".dcm");
        Gray8 img = DicomImages.readUint8(file, p.id(), report);
        List<Box> boxes = new ArrayList<>();
        for (Box b : p.boxes()) {
            boxes.add(b.fit(img.width(), img.height(), msg -> report.warn(p.id(), file.toString(), msg)));
        }
        ImageCodec.write(out.resolve(PROCESSED).resolve(p.id() + ".png"), ImageCodec.encodePng(img));
        MaskGif.write(out.resolve(MASKS).resolve(p.id() + ".gif"), Box.mask(boxes, img.width(), img.height()));
        return new Processed(LevelImage.ofUint8(img).stats(), Double.NaN, boxes);
    }

    @Override
    protected boolean detectionCsv() {
        return true;
    }

    @Override
    protected void addStatistics(ObjectNode stats, List<Done<RsnaPatient>> done) {
        stats.set("patient_ids", stringArray(done.stream().map(d -> d.sample().id()).toList()));
    }
}
