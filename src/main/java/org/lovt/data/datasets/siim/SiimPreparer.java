package org.lovt.data.datasets.siim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
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
import org.lovt.util.Csv;
import org.lovt.util.StagingDir;

/**
 * SIIM-ACR Pneumothorax (the Kaggle mirror {@code seesee/siim-train-test}; spec lovt-data-eval.md §2.3).
 *
 * <p>Reads {@code train-rle.csv} (its two columns taken as ImageId, EncodedPixels whatever their header says, as
 * the original renames them) and {@code dicom-images-train/*&#47;*&#47;<ImageId>.dcm}; writes
 * <pre>
 * processed_images/&lt;id&gt;.png      pixel_array / 255, histogram-equalised, 8-bit
 * segmentation_masks/&lt;id&gt;.gif    the decoded RLE (target "pneumothorax")
 * {train,validation,test}.csv       ID
 * dataset_statistics.json           num_samples, scan.pixel_mean/std, segmentation_pos_weights.pneumothorax
 * </pre>
 * Images must be 1024 x 1024 (the original asserts it; the RLE assumes it). Random split:
 * {@code random_split_indices} with 20 % test and 20 % validation.
 */
public final class SiimPreparer extends DownstreamPreparer<SiimImage> {
    static final int SIZE = 1024;
    static final String LABELS = "train-rle.csv";
    static final String IMAGES = "dicom-images-train";
    static final String PROCESSED = "processed_images";
    static final String MASKS = "segmentation_masks";

    @Override
    public String name() {
        return "siim";
    }

    @Override
    protected List<SiimImage> readSamples(Path src, PrepareOptions options, PrepareReport report) {
        Csv.Table t = Csv.read(Sources.file(src, LABELS));
        if (t.header().size() != 2) {
            throw new LovtException(t.file() + ": expected 2 columns (ImageId, EncodedPixels), found "
                    + t.header().size() + ": " + t.header());
        }
        Map<String, List<Path>> dicoms = findDicoms(Sources.dir(src, IMAGES));
        LinkedHashMap<String, List<String>> byImage = new LinkedHashMap<>();
        for (int r = 0; r < t.size(); r++) {
            String id = t.get(r, 0).strip();
            if (id.isEmpty()) {
                throw new LovtException(t.where(r) + ": empty ImageId");
            }
            byImage.computeIfAbsent(id, k -> new ArrayList<>()).add(t.get(r, 1));
        }
        List<SiimImage> out = new ArrayList<>(byImage.size());
        byImage.forEach((id, rles) -> {
            List<Path> found = dicoms.getOrDefault(id, List.of());
            String problem = found.isEmpty() ? "no " + IMAGES + "/*/*/" + id + ".dcm"
                    : found.size() > 1 ? "several DICOM files: " + found : null;
            out.add(new SiimImage(id, List.copyOf(rles), found.isEmpty() ? null : found.get(0), problem));
        });
        return out;
    }

    /** {@code glob(IMAGES/*&#47;*&#47;*.dcm)}: exactly two folder levels below the image folder. */
    static Map<String, List<Path>> findDicoms(Path dir) {
        Map<String, List<Path>> m = new HashMap<>();
        try (Stream<Path> s = Files.find(dir, 3, (p, a) -> a.isRegularFile()
                && dir.relativize(p).getNameCount() == 3 && p.getFileName().toString().endsWith(".dcm"))) {
            s.sorted().forEach(p -> {
                String name = p.getFileName().toString();
                m.computeIfAbsent(name.substring(0, name.length() - 4), k -> new ArrayList<>()).add(p);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LovtException(dir + ": cannot list the DICOM files: " + e.getMessage(), e);
        }
        return m;
    }

    @Override
    protected Splits<SiimImage> randomSplits(Path src, List<SiimImage> samples, PrepareOptions o,
                                             PrepareReport report) {
        return Splits.byIndices(samples, o.testFraction(), o.valFraction(), o.random());
    }

    @Override
    protected String id(SiimImage s) {
        return s.id();
    }

    @Override
    protected String sourceFile(Path src, SiimImage s) {
        return s.dicom() != null ? s.dicom().toString() : src.resolve(LABELS).toString();
    }

    @Override
    protected void createFolders(StagingDir out) {
        out.mkdirs(PROCESSED);
        out.mkdirs(MASKS);
    }

    @Override
    protected Processed process(Path src, SiimImage s, Path out, PrepareOptions o, PrepareReport report) {
        if (s.problem() != null) {
            throw new LovtException(s.problem());
        }
        byte[] mask;
        try {
            mask = SiimRle.decode(s.annotations(), SIZE);
        } catch (LovtException e) {
            throw new LovtException(src.resolve(LABELS) + ": " + e.getMessage(), e);
        }
        LevelImage img = DicomImages.readLevels(s.dicom(), s.id(), 255.0, report);
        if (img.width() != SIZE || img.height() != SIZE) {
            throw new LovtException(s.dicom() + ": expected a " + SIZE + " x " + SIZE + " image, found "
                    + img.width() + " x " + img.height());
        }
        LevelImage.Result eq = img.equalized();
        ImageCodec.write(out.resolve(PROCESSED).resolve(s.id() + ".png"), ImageCodec.encodePng(eq.image()));
        MaskGif.write(out.resolve(MASKS).resolve(s.id() + ".gif"), new Gray8(SIZE, SIZE, mask));
        long positive = 0;
        for (byte b : mask) {
            positive += b;
        }
        return new Processed(eq.stats(), positive / (double) (SIZE * SIZE), List.of());
    }

    @Override
    protected boolean detectionCsv() {
        return false;
    }

    /**
     * {@code segmentation_pos_weights.pneumothorax} = (1 - p) / p with p the mean positive fraction over the split's
     * images (a neg/pos ratio, unlike COVID's; spec §8 item 16); null when no pixel is positive (the original wrote
     * {@code Infinity}, which is not JSON).
     */
    @Override
    protected void addStatistics(ObjectNode stats, List<Done<SiimImage>> done) {
        double sum = 0;
        for (Done<SiimImage> d : done) {
            sum += d.result().positiveFraction();
        }
        double p = sum / done.size();
        putFloat(stats.putObject("segmentation_pos_weights"), "pneumothorax", (1 - p) / p);
    }
}
