package org.lovt.data.datasets.nih;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.DownstreamPreparer;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.LevelImage;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.NumpyRandom;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.Processed;
import org.lovt.data.datasets.prepare.SplitFiles;
import org.lovt.data.datasets.prepare.SplitName;
import org.lovt.data.datasets.prepare.Sources;
import org.lovt.data.datasets.prepare.Splits;
import org.lovt.util.StagingDir;

/**
 * NIH ChestX-ray14 pathology boxes (spec lovt-data-eval.md §2.5): the 880 annotated images plus 100 "No Finding"
 * images of the official test list, 8 classes.
 *
 * <p>Reads {@code BBox_List_2017.csv}, {@code Data_Entry_2017_v2020.csv}, {@code test_list.txt} and
 * {@code images/images_NN/images/<id>.png} (NN = 01..12); writes
 * <pre>
 * processed_images/&lt;id&gt;.png                 Pillow's L conversion / 255, histogram-equalised, 8-bit
 * segmentation_masks/&lt;Label&gt;/&lt;id&gt;.gif      one mask per class from that class's boxes (8 per image)
 * {train,validation,test}.csv                  ID,boxes,classes (x;y;w;h floats, class 0..7)
 * dataset_statistics.json                      num_samples, scan.pixel_mean/std, patient_ids (integers)
 * </pre>
 * Random split: annotated images by patient (20 % test, 20 % validation), then the "No Finding" images drawn with
 * {@code DataFrame.sample} and split the same way, appended to each split; with {@code --splits-from}, ids of the
 * split files without boxes are the "No Finding" images (the annotation files other than the box list are then not
 * needed).
 */
public final class NihCxrPreparer extends DownstreamPreparer<NihImage> {
    static final String BOXES = "BBox_List_2017.csv";
    static final String DATA_ENTRY = "Data_Entry_2017_v2020.csv";
    static final String TEST_LIST = "test_list.txt";
    static final String PROCESSED = "processed_images";
    static final String MASKS = "segmentation_masks";

    private final int noFindings;
    private volatile Map<String, List<Path>> imageIndex;

    /** With the original's 100 "No Finding" images. */
    public NihCxrPreparer() {
        this(100);
    }

    /** With {@code noFindings} "No Finding" images (the original's {@code --include_no_findings}). */
    public NihCxrPreparer(int noFindings) {
        if (noFindings < 0) {
            throw new LovtException("the number of 'No Finding' images cannot be negative: " + noFindings);
        }
        this.noFindings = noFindings;
    }

    @Override
    public String name() {
        return "nih";
    }

    @Override
    protected List<NihImage> readSamples(Path src, PrepareOptions options, PrepareReport report) {
        imageIndex = indexImages(Sources.dir(src, "images"));
        return NihLabels.annotated(Sources.file(src, BOXES));
    }

    /** {@code images/images_{01..12}/images/*.png}, by id; an id found twice is refused later. */
    static Map<String, List<Path>> indexImages(Path images) {
        Map<String, List<Path>> m = new HashMap<>();
        for (int i = 1; i <= 12; i++) {
            Path dir = images.resolve(String.format("images_%02d", i)).resolve("images");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().forEach(p -> {
                    String n = p.getFileName().toString();
                    m.computeIfAbsent(n.substring(0, n.length() - 4), k -> new ArrayList<>()).add(p);
                });
            } catch (IOException e) {
                throw new LovtException(dir + ": cannot list: " + e.getMessage(), e);
            }
        }
        return m;
    }

    @Override
    protected Splits<NihImage> randomSplits(Path src, List<NihImage> annotated, PrepareOptions o,
                                            PrepareReport report) {
        // One generator in the original's order of draws: annotated split, No Finding draw, No Finding split.
        NumpyRandom rng = o.random();
        Splits<NihImage> splits = Splits.byPatients(annotated, NihImage::patient, o.testFraction(), o.valFraction(),
                rng);
        if (noFindings == 0) {
            return splits;
        }
        List<NihImage> empty = NihLabels.noFinding(Sources.file(src, DATA_ENTRY), Sources.file(src, TEST_LIST),
                noFindings, rng, report);
        return splits.append(Splits.byPatients(empty, NihImage::patient, o.testFraction(), o.valFraction(), rng));
    }

    @Override
    protected Splits<NihImage> splitsFrom(Path dir, Path src, List<NihImage> annotated, PrepareReport report) {
        EnumMap<SplitName, List<String>> ids = SplitFiles.read(dir);
        Set<String> known = new HashSet<>();
        annotated.forEach(a -> known.add(a.id()));
        List<NihImage> all = new ArrayList<>(annotated);
        for (List<String> l : ids.values()) {
            for (String id : l) {
                if (!known.contains(id)) {
                    all.add(NihLabels.image(id + ".png", List.of(), true, null));
                }
            }
        }
        return SplitFiles.assign(dir, all, NihImage::id, BOXES, report);
    }

    @Override
    protected String id(NihImage s) {
        return s.id();
    }

    @Override
    protected String sourceFile(Path src, NihImage s) {
        List<Path> found = imageIndex.getOrDefault(s.id(), List.of());
        return found.isEmpty() ? src.resolve("images").toString() : found.get(0).toString();
    }

    @Override
    protected void createFolders(StagingDir out) {
        out.mkdirs(PROCESSED);
        for (String c : NihLabels.CLASSES) {
            out.mkdirs(MASKS + "/" + c);
        }
    }

    @Override
    protected Processed process(Path src, NihImage s, Path out, PrepareOptions o, PrepareReport report) {
        if (s.problem() != null) {
            throw new LovtException(s.problem());
        }
        List<Path> found = imageIndex.getOrDefault(s.id(), List.of());
        if (found.size() != 1) {
            throw new LovtException(found.isEmpty() ? "no images/images_NN/images/" + s.id() + ".png"
                    : "found in several image folders: " + found);
        }
        Gray8 grey = ImageCodec.read(found.get(0)).toPilLuminance();
        List<Box> boxes = new ArrayList<>();
        for (Box b : s.boxes()) {
            boxes.add(b.fit(grey.width(), grey.height(), msg -> report.warn(s.id(), src.resolve(BOXES).toString(),
                    msg)));
        }
        LevelImage.Result eq = LevelImage.ofUint8(grey).equalized();
        ImageCodec.write(out.resolve(PROCESSED).resolve(s.id() + ".png"), ImageCodec.encodePng(eq.image()));
        for (int c = 0; c < NihLabels.CLASSES.size(); c++) {
            int cls = c;
            List<Box> mine = boxes.stream().filter(b -> b.cls() == cls).toList();
            MaskGif.write(out.resolve(MASKS).resolve(NihLabels.CLASSES.get(c)).resolve(s.id() + ".gif"),
                    Box.mask(mine, grey.width(), grey.height()));
        }
        return new Processed(eq.stats(), Double.NaN, boxes);
    }

    @Override
    protected boolean detectionCsv() {
        return true;
    }

    /**
     * {@code patient_ids} as integers, once per run of consecutive images of one patient within the annotated part
     * and within the "No Finding" part, which is how the original's list came out (a patient in both parts is listed
     * twice).
     */
    @Override
    protected void addStatistics(ObjectNode stats, List<Done<NihImage>> done) {
        ArrayNode ids = stats.putArray("patient_ids");
        String prev = null;
        for (Done<NihImage> d : done) {
            String key = d.sample().patient() + "/" + d.sample().noFinding();
            if (!key.equals(prev)) {
                ids.add(Integer.parseInt(d.sample().patient()));
                prev = key;
            }
        }
    }
}
