package org.lovt.data.datasets.downstream;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
import org.lovt.data.datasets.objectcxr.ObjectCxrAnnotation;
import org.lovt.data.datasets.objectcxr.ObjectCxrTargets;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.DownstreamPreparer;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.LevelImage;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.PrepareResult;
import org.lovt.data.datasets.prepare.Processed;
import org.lovt.data.datasets.prepare.SplitName;
import org.lovt.data.datasets.prepare.Splits;
import org.lovt.data.datasets.synthetic.DownstreamCxr;
import org.lovt.data.datasets.synthetic.DownstreamCxr.Lesion;
import org.lovt.data.datasets.synthetic.FindingType;
import org.lovt.data.datasets.synthetic.SyntheticCxr;
import org.lovt.torch.Seeds;
import org.lovt.util.StagingDir;

/**
 * Synthetic downstream data sets in exactly the prepared format of a real one ({@code lovt prepare synthetic
 * DATASET}): the same files, folders, names, CSV and JSON formats, image codecs, histogram equalisation and statistics
 * as {@code lovt prepare <dataset>} writes (the writing itself is {@link DownstreamPreparer}'s), so that
 * {@link PreparedDownstream#open} and every task read it like a real folder. {@code preparation.json} is marked with
 * a {@code synthetic} object (generator, seed, size, counts).
 *
 * <p>The images are the pre-training generator's ({@link DownstreamCxr} over {@link SyntheticCxr}: same anatomy,
 * exposure, noise and finding drawings), so a backbone pre-trained on synthetic data sees the same kind of image. Per
 * data set, {@value #NEGATIVE_FRACTION} of the images are drawn without a target lesion, the others with:
 * <ul>
 *   <li>{@code rsna}: 1-3 opacities; their tight boxes (class 1) and box masks, as RSNA's;</li>
 *   <li>{@code covid}: 1-3 opacities; their pixel masks as a 0/1 PNG;</li>
 *   <li>{@code siim}: a pneumothorax (apical and lateral pleural air); its mask as GIF;</li>
 *   <li>{@code object-cxr}: 1-4 dense foreign objects (rectangles, ellipses, polygons) written through Object-CXR's
 *       own box and mask code, so the CSV holds its swapped width/height and the mask its transposed polygons unless
 *       {@link Options#fixQuirks()};</li>
 *   <li>{@code nih}: 1-2 lesions of distinct classes: Atelectasis (plate atelectasis), Cardiomegaly (enlarged heart;
 *       box = the heart), Effusion, Infiltrate (opacity), Mass (a nodule at 2.2 times the size), Nodule, Pneumonia (a
 *       lobar opacity at 1.5 times the size), Pneumothorax; boxes with their class 0-7 and one mask per class.</li>
 * </ul>
 * Random pre-training findings that are not targets appear in the background (rsna, covid: nodules, effusions,
 * atelectasis, lines; siim: all five kinds; object-cxr: all but lines; nih: lines only, and no random enlarged heart
 * or edema, which would be unlabelled findings). Targets that find no place in an image are left out of its labels.
 *
 * <p>Deterministic: the same arguments give byte-identical images, masks, CSVs and statistics (only
 * {@code preparation.json}'s timing differs); sample i of a split depends only on the seed, the data set, the split,
 * i and the size. Ids follow each data set's pattern where its code parses them (COVID's patient prefix, NIH's
 * {@code <patient>_<image>}).
 */
public final class SyntheticDownstream {
    /** Fraction of the images drawn without a target lesion. */
    public static final double NEGATIVE_FRACTION = 0.3;

    /**
     * How to write.
     *
     * @param threads         worker threads (the output does not depend on them)
     * @param fixQuirks       Object-CXR only: write boxes and polygon masks as {@code lovt prepare object-cxr
     *                        --fix-quirks} does instead of with the original's bugs
     * @param overwrite       replace an existing output folder once the new one is complete
     * @param log             progress and summary (standard error), or null
     * @param progressInPlace redraw the progress line in place
     */
    public record Options(int threads, boolean fixQuirks, boolean overwrite, PrintWriter log,
                          boolean progressInPlace) {
        /** All processors, quirks as the original, no overwriting, silent. */
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), false, false, null, false);
        }
    }

    private SyntheticDownstream() {}

    /** {@link #write(Path, String, int, int, int, int, long, Options)} with {@link Options#defaults()}. */
    public static PrepareResult write(Path out, String dataset, int train, int validation, int test, int imageSize,
                                      long seed) {
        return write(out, dataset, train, validation, test, imageSize, seed, Options.defaults());
    }

    /**
     * Writes a synthetic {@code dataset} (rsna, covid, siim, object-cxr or nih) to {@code out}, atomically (a staging
     * folder renamed into place when complete).
     *
     * @param train      train images (at least 1: the statistics come from them)
     * @param validation validation images
     * @param test       test images
     * @param imageSize  side of the square images, in [64, 4096]
     * @throws LovtException for an unknown data set, bad counts or size, or an existing output folder
     */
    public static PrepareResult write(Path out, String dataset, int train, int validation, int test, int imageSize,
                                      long seed, Options options) {
        DownstreamFormat format = DownstreamFormat.of(dataset);
        if (train < 1 || validation < 0 || test < 0) {
            throw new LovtException("synthetic " + dataset + ": at least 1 train image and no negative split size are"
                    + " needed, not " + train + "/" + validation + "/" + test);
        }
        if (imageSize < SyntheticCxr.MIN_SIZE || imageSize > SyntheticCxr.MAX_SIZE) {
            throw new LovtException("synthetic " + dataset + ": image size must lie in [" + SyntheticCxr.MIN_SIZE
                    + ", " + SyntheticCxr.MAX_SIZE + "], not " + imageSize);
        }
        Map<SplitName, Integer> counts = new EnumMap<>(SplitName.class);
        counts.put(SplitName.TRAIN, train);
        counts.put(SplitName.VALIDATION, validation);
        counts.put(SplitName.TEST, test);
        Path target = out.toAbsolutePath().normalize();
        // DownstreamPreparer reads from a source folder; the synthetic writer's "source" is the output's parent.
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new LovtException(parent + ": cannot create the output's parent folder: " + e.getMessage(), e);
        }
        PrepareOptions o = PrepareOptions.to(target).withThreads(Math.max(1, options.threads()))
                .withOverwrite(options.overwrite()).withFixQuirks(options.fixQuirks())
                .withLog(options.log(), options.progressInPlace());
        return new Writer(format, counts, imageSize, seed, options).prepare(parent, o);
    }

    /** One image to generate. */
    private record Item(SplitName split, int index, int ordinal, String id, long splitSeed) {}

    private static final class Writer extends DownstreamPreparer<Item> {
        private final DownstreamFormat format;
        private final Map<SplitName, Integer> counts;
        private final int size;
        private final long seed;
        private final Options options;
        /** The GIF of an empty mask: most of NIH's eight masks per image are empty. */
        private final byte[] emptyGif;

        Writer(DownstreamFormat format, Map<SplitName, Integer> counts, int size, long seed, Options options) {
            this.format = format;
            this.counts = counts;
            this.size = size;
            this.seed = seed;
            this.options = options;
            this.emptyGif = MaskGif.encode(new Gray8(size, size, new byte[size * size]));
        }

        /** The box mask of {@code boxes} as GIF ({@code create_segmentation_mask}). */
        private void boxMask(Path file, List<Box> boxes) {
            ImageCodec.write(file, boxes.isEmpty() ? emptyGif : MaskGif.encode(Box.mask(boxes, size, size)));
        }

        @Override
        public String name() {
            return format.key();
        }

        @Override
        protected List<Item> readSamples(Path src, PrepareOptions o, PrepareReport report) {
            List<Item> items = new ArrayList<>();
            int ordinal = 0;
            for (SplitName s : SplitName.values()) {
                long splitSeed = Seeds.javaRandom(seed, "synthetic-downstream/" + format.key() + "/" + s.key())
                        .nextLong();
                for (int i = 0; i < counts.get(s); i++) {
                    items.add(new Item(s, i, ordinal, sampleId(format, s, i, ordinal), splitSeed));
                    ordinal++;
                }
            }
            return items;
        }

        @Override
        protected Splits<Item> randomSplits(Path src, List<Item> samples, PrepareOptions o, PrepareReport report) {
            Map<SplitName, List<Item>> m = new EnumMap<>(SplitName.class);
            for (Item it : samples) {
                m.computeIfAbsent(it.split(), k -> new ArrayList<>()).add(it);
            }
            return new Splits<>(m);
        }

        @Override
        protected String id(Item item) {
            return item.id();
        }

        @Override
        protected String sourceFile(Path src, Item item) {
            return "synthetic " + item.split().key() + " image " + item.index();
        }

        @Override
        protected void createFolders(StagingDir out) {
            out.mkdirs(format.imageFolder());
            for (int t = 0; t < format.targets().size(); t++) {
                out.mkdirs(out.dir().relativize(format.maskFolder(out.dir(), t)).toString());
            }
        }

        @Override
        protected Processed process(Path src, Item item, Path out, PrepareOptions o, PrepareReport report) {
            DownstreamCxr.Plan plan = plan(format, new SplittableRandom(
                    Seeds.javaRandom(item.splitSeed(), "synthetic-downstream/plan/" + item.index()).nextLong()));
            DownstreamCxr.Image img = DownstreamCxr.generate(item.splitSeed(), item.index(), size, plan);
            Gray8 raw = new Gray8(size, size, img.pixels());
            return switch (format) {
                case RSNA -> rsna(item, img, raw, out);
                case COVID -> covid(item, img, raw, out);
                case SIIM -> siim(item, img, raw, out);
                case OBJECT_CXR -> objectCxr(item, img, raw, out, o.fixQuirks());
                case NIH -> nih(item, img, raw, out);
            };
        }

        /** RSNA: the raw image as PNG, the opacities' boxes (floats, class 1) and their box mask. */
        private Processed rsna(Item item, DownstreamCxr.Image img, Gray8 raw, Path out) {
            List<Box> boxes = new ArrayList<>();
            for (DownstreamCxr.Target t : img.targets()) {
                boxes.add(box(t, 1));
            }
            ImageCodec.write(format.imageFile(out, item.id()), ImageCodec.encodePng(raw));
            boxMask(format.maskFile(out, 0, item.id()), boxes);
            return new Processed(LevelImage.ofUint8(raw).stats(), Double.NaN, boxes);
        }

        /** COVID: equalised JPEG, the opacities' pixel mask as a 0/1 PNG. */
        private Processed covid(Item item, DownstreamCxr.Image img, Gray8 raw, Path out) {
            byte[] mask = union(img);
            LevelImage.Result eq = LevelImage.ofUint8(raw).equalized();
            ImageCodec.write(format.imageFile(out, item.id()),
                    ImageCodec.encodeJpeg(eq.image(), ImageCodec.JPEG_QUALITY));
            ImageCodec.write(format.maskFile(out, 0, item.id()), ImageCodec.encodePng(new Gray8(size, size, mask)));
            return new Processed(eq.stats(), positive(mask), List.of());
        }

        /** SIIM: equalised PNG, the pneumothorax mask as GIF. */
        private Processed siim(Item item, DownstreamCxr.Image img, Gray8 raw, Path out) {
            byte[] mask = union(img);
            LevelImage.Result eq = LevelImage.ofUint8(raw).equalized();
            ImageCodec.write(format.imageFile(out, item.id()), ImageCodec.encodePng(eq.image()));
            MaskGif.write(format.maskFile(out, 0, item.id()), new Gray8(size, size, mask));
            return new Processed(eq.stats(), positive(mask), List.of());
        }

        /** Object-CXR: equalised JPEG; boxes and mask from the objects' annotations by Object-CXR's own code. */
        private Processed objectCxr(Item item, DownstreamCxr.Image img, Gray8 raw, Path out, boolean fix) {
            List<ObjectCxrAnnotation> shapes = new ArrayList<>();
            for (DownstreamCxr.Target t : img.targets()) {
                int[] s = t.shape();
                shapes.add(new ObjectCxrAnnotation(s[0], java.util.Arrays.copyOfRange(s, 1, s.length)));
            }
            List<Box> boxes = ObjectCxrTargets.boxes(shapes, size, size, fix, msg -> {
                throw new IllegalStateException("synthetic object outside the image: " + msg);
            });
            LevelImage.Result eq = LevelImage.ofUint8(raw).equalized();
            ImageCodec.write(format.imageFile(out, item.id()),
                    ImageCodec.encodeJpeg(eq.image(), ImageCodec.JPEG_QUALITY));
            MaskGif.write(format.maskFile(out, 0, item.id()), ObjectCxrTargets.mask(shapes, size, size, fix));
            return new Processed(eq.stats(), Double.NaN, boxes);
        }

        /** NIH: equalised PNG, boxes with their class index, one box mask per class. */
        private Processed nih(Item item, DownstreamCxr.Image img, Gray8 raw, Path out) {
            List<Box> boxes = new ArrayList<>();
            for (DownstreamCxr.Target t : img.targets()) {
                boxes.add(box(t, NIH_CLASSES.indexOf(t.lesion())));
            }
            LevelImage.Result eq = LevelImage.ofUint8(raw).equalized();
            ImageCodec.write(format.imageFile(out, item.id()), ImageCodec.encodePng(eq.image()));
            for (int c = 0; c < format.targets().size(); c++) {
                int cls = c;
                boxMask(format.maskFile(out, c, item.id()), boxes.stream().filter(b -> b.cls() == cls).toList());
            }
            return new Processed(eq.stats(), Double.NaN, boxes);
        }

        @Override
        protected boolean detectionCsv() {
            return format.hasBoxes();
        }

        /** The keys the data set's real preparer adds (see there for their meaning). */
        @Override
        protected void addStatistics(ObjectNode stats, List<Done<Item>> done) {
            switch (format) {
                case RSNA -> stats.set("patient_ids", stringArray(done.stream().map(d -> d.sample().id()).toList()));
                case COVID -> {
                    double sum = 0;
                    for (Done<Item> d : done) {
                        sum += (float) (1f - (float) d.result().positiveFraction());
                    }
                    putFloat(stats.putObject("segmentation_pos_weights"), "opacity", (float) (sum / done.size()));
                    LinkedHashSet<String> patients = new LinkedHashSet<>();
                    done.forEach(d -> patients.add(d.sample().id().split("_", -1)[0]));
                    stats.set("patient_ids", stringArray(new ArrayList<>(patients)));
                }
                case SIIM -> {
                    double sum = 0;
                    for (Done<Item> d : done) {
                        sum += d.result().positiveFraction();
                    }
                    double p = sum / done.size();
                    putFloat(stats.putObject("segmentation_pos_weights"), "pneumothorax", (1 - p) / p);
                }
                case OBJECT_CXR -> stats.putNull("patient_ids");
                case NIH -> {
                    var ids = stats.putArray("patient_ids");
                    done.forEach(d -> ids.add(Integer.parseInt(d.sample().id().substring(0, 8))));
                }
            }
        }

        @Override
        protected void describe(ObjectNode report) {
            report.put("source", "synthetic");
            ObjectNode opt = report.putObject("options");
            opt.put("fix_quirks", options.fixQuirks());
            opt.put("threads", Math.max(1, options.threads()));
            ObjectNode s = report.putObject("synthetic");
            s.put("generator", DownstreamCxr.class.getName());
            s.put("seed", seed);
            s.put("image_size", size);
            s.put("negative_fraction", NEGATIVE_FRACTION);
            ObjectNode c = s.putObject("counts");
            counts.forEach((k, v) -> c.put(k.key(), v));
        }

        private Box box(DownstreamCxr.Target t, int cls) {
            org.lovt.data.datasets.synthetic.Box b = t.box();
            return new Box(b.x(), b.y(), b.w(), b.h(), cls, false);
        }

        private byte[] union(DownstreamCxr.Image img) {
            byte[] m = new byte[size * size];
            for (DownstreamCxr.Target t : img.targets()) {
                byte[] tm = t.mask();
                for (int i = 0; i < m.length; i++) {
                    m[i] |= tm[i];
                }
            }
            return m;
        }

        private static double positive(byte[] mask) {
            long n = 0;
            for (byte b : mask) {
                n += b;
            }
            return n / (double) mask.length;
        }
    }

    /** NIH's classes in class-index order, as lesions. */
    static final List<Lesion> NIH_CLASSES = List.of(Lesion.ATELECTASIS, Lesion.ENLARGED_HEART, Lesion.EFFUSION,
            Lesion.OPACITY, Lesion.MASS, Lesion.NODULE, Lesion.LARGE_OPACITY, Lesion.PNEUMOTHORAX);

    private static final Set<FindingType> NOT_OPACITY = EnumSet.of(FindingType.NODULE, FindingType.EFFUSION,
            FindingType.ATELECTASIS, FindingType.DEVICE);

    /** The lesions of one image (see the class comment). */
    static DownstreamCxr.Plan plan(DownstreamFormat format, SplittableRandom r) {
        boolean negative = r.nextDouble() < NEGATIVE_FRACTION;
        List<Lesion> lesions = new ArrayList<>();
        switch (format) {
            case RSNA, COVID -> {
                if (!negative) {
                    // RSNA's pneumonia boxes are lobar-sized (about a fifth of the image wide); COVID's opacities patchy.
                    lesions.addAll(java.util.Collections.nCopies(count(r, 0.55, 0.9, 1.0),
                            format == DownstreamFormat.RSNA ? Lesion.LARGE_OPACITY : Lesion.OPACITY));
                }
                return new DownstreamCxr.Plan(lesions, NOT_OPACITY, true);
            }
            case SIIM -> {
                if (!negative) {
                    lesions.add(Lesion.PNEUMOTHORAX);
                }
                return new DownstreamCxr.Plan(lesions, EnumSet.allOf(FindingType.class), true);
            }
            case OBJECT_CXR -> {
                if (!negative) {
                    lesions.addAll(java.util.Collections.nCopies(count(r, 0.5, 0.8, 0.95), Lesion.FOREIGN_OBJECT));
                }
                return new DownstreamCxr.Plan(lesions, EnumSet.complementOf(EnumSet.of(FindingType.DEVICE)), true);
            }
            case NIH -> {
                if (!negative) {
                    int n = r.nextDouble() < 0.8 ? 1 : 2;
                    List<Lesion> classes = new ArrayList<>(NIH_CLASSES);
                    for (int k = 0; k < n; k++) {
                        lesions.add(classes.remove(r.nextInt(classes.size())));
                    }
                }
                return new DownstreamCxr.Plan(lesions, EnumSet.of(FindingType.DEVICE), false);
            }
            default -> throw new IllegalStateException(format.toString());
        }
    }

    /** 1, 2, 3 or 4 by the cumulative probabilities of 1, 2 and 3. */
    private static int count(SplittableRandom r, double... cdf) {
        double u = r.nextDouble();
        int n = 1;
        for (double c : cdf) {
            if (u < c) {
                return n;
            }
            n++;
        }
        return n;
    }

    /** The id of an image, in the data set's own pattern where its code parses ids. */
    static String sampleId(DownstreamFormat format, SplitName split, int index, int ordinal) {
        return switch (format) {
            case COVID -> String.format("COVID-19-AR-%08d_synthetic-XR", ordinal + 1);
            case NIH -> String.format("%08d_000", ordinal + 1);
            default -> String.format("synthetic-%s-%06d", split.key(), index);
        };
    }
}
