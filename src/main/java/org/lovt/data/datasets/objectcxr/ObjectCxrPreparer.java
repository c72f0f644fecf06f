package org.lovt.data.datasets.objectcxr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.Box;
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
import org.lovt.util.Csv;
import org.lovt.util.StagingDir;

/**
 * Object-CXR foreign objects (spec lovt-data-eval.md §2.4), for both the detection and the segmentation tasks.
 *
 * <p>Reads {@code input/train.csv} and {@code input/dev.csv} (image_name, annotation) with the JPEGs in
 * {@code input/train/} and {@code input/dev/}; writes
 * <pre>
 * images_processed/&lt;id&gt;.jpg      Pillow's L conversion / 255, histogram-equalised, JPEG quality 75
 * segmentation_masks/&lt;id&gt;.gif    the shapes as a mask (target "foreign_object")
 * {train,validation,test}.csv       ID,boxes,classes (integers, class 1; w and h swapped unless fixed)
 * dataset_statistics.json           num_samples, scan.pixel_mean/std, patient_ids null
 * </pre>
 * Random split: sklearn's {@code train_test_split(train, test_size=0.2)} for train/validation; test is the dev set.
 * {@link ObjectCxrTargets} describes the two reproduced bugs ({@code --fix-quirks} fixes them).
 */
public final class ObjectCxrPreparer extends DownstreamPreparer<ObjectCxrImage> {
    static final String PROCESSED = "images_processed";
    static final String MASKS = "segmentation_masks";

    @Override
    public String name() {
        return "object-cxr";
    }

    @Override
    protected List<ObjectCxrImage> readSamples(Path src, PrepareOptions options, PrepareReport report) {
        List<ObjectCxrImage> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (boolean dev : new boolean[] {false, true}) {
            String part = dev ? "dev" : "train";
            Path images = Sources.dir(src, "input/" + part);
            Csv.Table t = Csv.read(Sources.file(src, "input/" + part + ".csv"));
            int nameCol = t.column("image_name");
            int annCol = t.column("annotation");
            for (int r = 0; r < t.size(); r++) {
                String name = t.get(r, nameCol);
                if (!name.endsWith(".jpg")) {
                    throw new LovtException(t.where(r) + ": image_name '" + name + "' does not end with .jpg");
                }
                String id = name.substring(0, name.length() - 4);
                String before = seen.putIfAbsent(id, t.where(r));
                if (before != null) {
                    throw new LovtException(t.where(r) + ": image " + name + " is listed again (first at " + before
                            + ")");
                }
                out.add(new ObjectCxrImage(id, dev, t.get(r, annCol), images.resolve(id + ".jpg"), t.where(r)));
            }
        }
        return out;
    }

    @Override
    protected Splits<ObjectCxrImage> randomSplits(Path src, List<ObjectCxrImage> samples, PrepareOptions o,
                                                  PrepareReport report) {
        List<ObjectCxrImage> train = samples.stream().filter(s -> !s.dev()).toList();
        List<ObjectCxrImage> dev = samples.stream().filter(ObjectCxrImage::dev).toList();
        return Splits.trainValidation(train, o.valFraction(), o.random()).withTest(dev);
    }

    @Override
    protected String id(ObjectCxrImage s) {
        return s.id();
    }

    @Override
    protected String sourceFile(Path src, ObjectCxrImage s) {
        return s.image().toString();
    }

    @Override
    protected void createFolders(StagingDir out) {
        out.mkdirs(PROCESSED);
        out.mkdirs(MASKS);
    }

    @Override
    protected Processed process(Path src, ObjectCxrImage s, Path out, PrepareOptions o, PrepareReport report) {
        List<ObjectCxrAnnotation> shapes;
        try {
            shapes = ObjectCxrAnnotation.parse(s.annotation());
        } catch (LovtException e) {
            throw new LovtException(s.labels() + ": " + e.getMessage(), e);
        }
        Gray8 grey = ImageCodec.read(s.image()).toPilLuminance();
        int w = grey.width();
        int h = grey.height();
        List<Box> boxes;
        try {
            boxes = ObjectCxrTargets.boxes(shapes, w, h, o.fixQuirks(),
                    msg -> report.warn(s.id(), s.labels(), msg));
        } catch (LovtException e) {
            throw new LovtException(s.labels() + ": " + e.getMessage(), e);
        }
        LevelImage.Result eq = LevelImage.ofUint8(grey).equalized();
        ImageCodec.write(out.resolve(PROCESSED).resolve(s.id() + ".jpg"),
                ImageCodec.encodeJpeg(eq.image(), ImageCodec.JPEG_QUALITY));
        MaskGif.write(out.resolve(MASKS).resolve(s.id() + ".gif"), ObjectCxrTargets.mask(shapes, w, h, o.fixQuirks()));
        return new Processed(eq.stats(), Double.NaN, boxes);
    }

    @Override
    protected boolean detectionCsv() {
        return true;
    }

    @Override
    protected void addStatistics(ObjectNode stats, List<Done<ObjectCxrImage>> done) {
        stats.putNull("patient_ids");
    }
}
