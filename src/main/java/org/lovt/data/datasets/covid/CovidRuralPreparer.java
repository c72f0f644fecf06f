package org.lovt.data.datasets.covid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.DecodedImage;
import org.lovt.data.datasets.prepare.DownstreamPreparer;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.LevelImage;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.Processed;
import org.lovt.data.datasets.prepare.Sources;
import org.lovt.data.datasets.prepare.Splits;
import org.lovt.util.StagingDir;

/**
 * COVID Rural opacity segmentation ({@code covid_rural_annot}; spec lovt-data-eval.md §2.2).
 *
 * <p>Reads {@code jpgs/COVID-19-AR-<patient>_<date>-XR.jpg} and {@code pngs_masks/<same>.png}; only images with a
 * mask are used. Writes
 * <pre>
 * processed_images/&lt;id&gt;.jpg   mean of the RGB channels / 255, histogram-equalised, JPEG quality 75
 * pngs_masks/&lt;id&gt;.png         the source mask, copied byte for byte (values 0/1; target "opacity")
 * {train,validation,test}.csv    ID
 * dataset_statistics.json        num_samples, scan.pixel_mean/std, segmentation_pos_weights.opacity, patient_ids
 * </pre>
 * Random split: by patient, 20 % test and 20 % validation by image count. The original lists {@code jpgs/} in
 * directory order (file-system dependent); this lists it sorted by name.
 */
public final class CovidRuralPreparer extends DownstreamPreparer<CovidScan> {
    static final String IMAGES = "jpgs";
    static final String MASKS = "pngs_masks";
    static final String PROCESSED = "processed_images";
    static final String PREFIX = "COVID-19-AR-";

    @Override
    public String name() {
        return "covid";
    }

    @Override
    protected List<CovidScan> readSamples(Path src, PrepareOptions options, PrepareReport report) {
        Path images = Sources.dir(src, IMAGES);
        Path masks = Sources.dir(src, MASKS);
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jpg")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new LovtException(images + ": cannot list: " + e.getMessage(), e);
        }
        List<CovidScan> out = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String id = name.substring(0, name.length() - ".jpg".length());
            if (!name.startsWith(PREFIX)) {
                report.skip(id, f.toString(), "file name does not start with " + PREFIX);
                continue;
            }
            Path mask = masks.resolve(id + ".png");
            if (!Files.isRegularFile(mask)) {
                report.skip(id, mask.toString(), "no mask (the original leaves such images out too)");
                continue;
            }
            out.add(new CovidScan(id, id.split("_", -1)[0], f, mask));
        }
        return out;
    }

    @Override
    protected Splits<CovidScan> randomSplits(Path src, List<CovidScan> samples, PrepareOptions o,
                                             PrepareReport report) {
        return Splits.byPatients(samples, CovidScan::patient, o.testFraction(), o.valFraction(), o.random());
    }

    @Override
    protected String id(CovidScan s) {
        return s.id();
    }

    @Override
    protected String sourceFile(Path src, CovidScan s) {
        return s.image().toString();
    }

    @Override
    protected void createFolders(StagingDir out) {
        out.mkdirs(PROCESSED);
        out.mkdirs(MASKS);
    }

    @Override
    protected Processed process(Path src, CovidScan s, Path out, PrepareOptions o, PrepareReport report) {
        DecodedImage rgb = ImageCodec.read(s.image());
        byte[] maskBytes;
        try {
            maskBytes = Files.readAllBytes(s.mask());
        } catch (IOException e) {
            throw new LovtException(s.mask() + ": cannot read: " + e.getMessage(), e);
        }
        byte[] mask = CovidMask.read(maskBytes, s.mask(), rgb.width(), rgb.height());
        LevelImage.Result eq = rgb.toChannelMean().equalized();
        ImageCodec.write(out.resolve(PROCESSED).resolve(s.id() + ".jpg"),
                ImageCodec.encodeJpeg(eq.image(), ImageCodec.JPEG_QUALITY));
        ImageCodec.write(out.resolve(MASKS).resolve(s.id() + ".png"), maskBytes);
        long positive = 0;
        for (byte b : mask) {
            positive += b;
        }
        return new Processed(eq.stats(), positive / (double) mask.length, List.of());
    }

    @Override
    protected boolean detectionCsv() {
        return false;
    }

    /**
     * {@code segmentation_pos_weights.opacity} = the mean over images of the negative fraction (1 - positive), in
     * float32 as the original's torch/numpy arithmetic left it (spec §8 item 16); {@code patient_ids} in split order.
     */
    @Override
    protected void addStatistics(ObjectNode stats, List<Done<CovidScan>> done) {
        double sum = 0;
        for (Done<CovidScan> d : done) {
            sum += (float) (1f - (float) d.result().positiveFraction());
        }
        putFloat(stats.putObject("segmentation_pos_weights"), "opacity", (float) (sum / done.size()));
        LinkedHashSet<String> patients = new LinkedHashSet<>();
        done.forEach(d -> patients.add(d.sample().patient()));
        stats.set("patient_ids", stringArray(new ArrayList<>(patients)));
    }
}
