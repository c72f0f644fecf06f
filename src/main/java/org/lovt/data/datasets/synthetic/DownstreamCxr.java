package org.lovt.data.datasets.synthetic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic radiographs for the downstream tasks: the pre-training generator's images ({@link SyntheticCxr}: the same
 * anatomy, exposure, noise and finding shapes, drawn by the same code) with the lesions a task asks for, and the
 * mask and box of each. A backbone pre-trained on {@link SyntheticCxr} data therefore sees the same kind of image
 * here.
 *
 * <p>Lesions: the pre-training findings, some at a larger scale ({@link Lesion#LARGE_OPACITY} for lobar pneumonia,
 * {@link Lesion#MASS}), and three that pre-training does not draw: a {@link Lesion#PNEUMOTHORAX} (apical and lateral
 * pleural air without lung markings, bounded by the visceral pleural line), {@link Lesion#FOREIGN_OBJECT}s (dense
 * rectangles, ellipses and polygons over the lungs, with their Object-CXR annotation) and
 * {@link Lesion#ENLARGED_HEART} (the heart drawn at a cardiothoracic ratio above 0.55; its target is the heart).
 * Besides, as in pre-training, 0-3 random findings of the {@link Plan#background()} types may appear, and with
 * {@link Plan#diffuse()} an enlarged heart (20 %) and pulmonary edema (12 %).
 *
 * <p>{@code generate(seed, index, size, plan)} is deterministic: the anatomy, findings, exposure and noise come from
 * the streams {@link SyntheticCxr#generate} uses for the same (seed, index), the downstream lesions from a stream of
 * their own. Thread-safe.
 */
public final class DownstreamCxr {
    /** What a downstream image can be asked to show. */
    public enum Lesion {
        /** Patchy airspace opacity ({@link FindingType#OPACITY}), inside one lung zone. */
        OPACITY(FindingType.OPACITY, 1.0),
        /** A larger, lobar opacity (the same drawing at 1.5 times the size). */
        LARGE_OPACITY(FindingType.OPACITY, 1.5),
        /** Small round density ({@link FindingType#NODULE}). */
        NODULE(FindingType.NODULE, 1.0),
        /** A mass: the nodule drawing at 2.2 times the size. */
        MASS(FindingType.NODULE, 2.2),
        /** Basal pleural effusion ({@link FindingType#EFFUSION}). */
        EFFUSION(FindingType.EFFUSION, 1.0),
        /** Plate-like atelectasis ({@link FindingType#ATELECTASIS}). */
        ATELECTASIS(FindingType.ATELECTASIS, 1.0),
        /** Pleural air at the apex and the lateral chest wall of one lung; at most one per image. */
        PNEUMOTHORAX(null, 0),
        /** A dense foreign object over a lung, with its Object-CXR annotation. */
        FOREIGN_OBJECT(null, 0),
        /** The heart enlarged (cardiomegaly); its mask is the heart above the diaphragm. At most one per image. */
        ENLARGED_HEART(null, 0);

        private final FindingType finding;
        private final double scale;

        Lesion(FindingType finding, double scale) {
            this.finding = finding;
            this.scale = scale;
        }

        /** The pre-training finding type it is drawn as, or null for the lesions of this class alone. */
        public FindingType finding() {
            return finding;
        }
    }

    /**
     * What to draw.
     *
     * @param lesions    the lesions, in the order their targets are returned; a lung lesion takes a zone of its own
     *                   (a pneumothorax the upper and middle zones of its lung), and one that finds no place is
     *                   left out of the result
     * @param background the finding types that may appear at random as in pre-training (in zones left free; their
     *                   masks are in {@link Image#background()}, they are no targets)
     * @param diffuse    whether the heart is enlarged and edema drawn at random as in pre-training; false draws a
     *                   normal heart (unless {@link Lesion#ENLARGED_HEART} is asked for) and no edema
     */
    public record Plan(List<Lesion> lesions, Set<FindingType> background, boolean diffuse) {
        public Plan {
            lesions = List.copyOf(lesions);
            background = background.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(background));
            if (lesions.stream().filter(l -> l == Lesion.PNEUMOTHORAX).count() > 1
                    || lesions.stream().filter(l -> l == Lesion.ENLARGED_HEART).count() > 1) {
                throw new IllegalArgumentException("at most one pneumothorax and one enlarged heart per image");
            }
        }
    }

    /**
     * A drawn lesion.
     *
     * @param lesion what it is
     * @param mask   row-major {@code size x size} 0/1 mask of its pixels
     * @param box    the tight box of the mask
     * @param shape  for a {@link Lesion#FOREIGN_OBJECT} its Object-CXR annotation: type (0 rectangle, 1 ellipse,
     *               2 polygon), then {@code x1 y1 x2 y2} (right and bottom exclusive) or the polygon's
     *               {@code x y} points; null for the other lesions
     */
    public record Target(Lesion lesion, byte[] mask, Box box, int[] shape) {
        public Target {
            Objects.requireNonNull(lesion, "lesion");
            Objects.requireNonNull(mask, "mask");
            Objects.requireNonNull(box, "box");
        }
    }

    /**
     * A generated downstream image.
     *
     * @param seed         generator seed
     * @param index        sample index under that seed
     * @param size         width and height in pixels
     * @param pixels       row-major 8-bit grey image, {@code size * size} bytes
     * @param anatomy      label map as {@link SyntheticSample#anatomy()}
     * @param targets      the lesions drawn, in plan order
     * @param background   the random background findings
     * @param cardiomegaly whether the heart is enlarged
     * @param edema        whether pulmonary edema is drawn
     */
    public record Image(long seed, int index, int size, byte[] pixels, byte[] anatomy, List<Target> targets,
                        List<Finding> background, boolean cardiomegaly, boolean edema) {
        public Image {
            targets = List.copyOf(targets);
            background = List.copyOf(background);
        }
    }

    private DownstreamCxr() {}

    /** Image {@code index} (≥ 0) of {@code seed}, {@code size x size}, with the plan's lesions. */
    public static Image generate(long seed, int index, int size, Plan plan) {
        if (size < SyntheticCxr.MIN_SIZE || size > SyntheticCxr.MAX_SIZE) {
            throw new IllegalArgumentException("size must be in [" + SyntheticCxr.MIN_SIZE + ", "
                    + SyntheticCxr.MAX_SIZE + "], got " + size);
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        SplittableRandom anatomyRng = SyntheticCxr.stream(seed, "anatomy", index);
        // The same draws as SyntheticCxr.generate, so that the rest of the anatomy stream stays aligned.
        boolean cardiomegaly = anatomyRng.nextDouble() < SyntheticCxr.CARDIOMEGALY;
        anatomyRng.nextDouble(); // view: metadata only
        boolean edema = anatomyRng.nextDouble() < SyntheticCxr.EDEMA;
        if (!plan.diffuse()) {
            cardiomegaly = false;
            edema = false;
        }
        if (plan.lesions().contains(Lesion.ENLARGED_HEART)) {
            cardiomegaly = true;
        }
        Anatomy an = Anatomy.sample(anatomyRng, cardiomegaly, edema);
        AnatomyRenderer.Result body = AnatomyRenderer.render(an, anatomyRng, size);
        byte[] labels = body.labels();
        LungZones zones = LungZones.of(labels, size, an.cx * size);

        SplittableRandom lesionRng = SyntheticCxr.stream(seed, "downstream-lesions", index);
        Set<Zone> occupied = EnumSet.noneOf(Zone.class);
        DownstreamLesions.Pneumothorax ptx = null;
        if (plan.lesions().contains(Lesion.PNEUMOTHORAX)) {
            ptx = DownstreamLesions.pneumothorax(lesionRng, an, labels, size);
            if (ptx != null) {
                occupied.add(Zone.of(ptx.side(), Level.UPPER));
                occupied.add(Zone.of(ptx.side(), Level.MIDDLE));
            }
        }
        List<FindingSampler.Request> requests = new ArrayList<>();
        for (Lesion l : plan.lesions()) {
            if (l.finding != null) {
                requests.add(new FindingSampler.Request(l.finding, l.scale));
            }
        }
        FindingSampler.Targeted drawn = FindingSampler.sample(SyntheticCxr.stream(seed, "findings", index), an,
                labels, zones, size, requests, plan.background(), occupied);
        int objects = (int) plan.lesions().stream().filter(l -> l == Lesion.FOREIGN_OBJECT).count();
        List<DownstreamLesions.ForeignObject> foreign = objects == 0 ? List.of()
                : DownstreamLesions.foreignObjects(lesionRng, objects, labels, size);

        Raster density = body.density();
        Blur.antialias(density.a, size);
        // The window is fitted to the anatomy before any lesion is drawn, as in pre-training.
        Exposure exposure = Exposure.sample(SyntheticCxr.stream(seed, "exposure", index), density);
        if (ptx != null) {
            ptx.applyTo(density);
        }
        List<FindingSampler.Placed> placed = new ArrayList<>();
        drawn.requested().stream().filter(Objects::nonNull).forEach(placed::add);
        placed.addAll(drawn.background());
        float[] a = density.a;
        for (FindingSampler.Placed p : placed) {
            float[] d = p.density();
            for (int i = 0; i < a.length; i++) {
                a[i] += d[i];
            }
        }
        for (DownstreamLesions.ForeignObject o : foreign) {
            float[] d = o.density();
            for (int i = 0; i < a.length; i++) {
                a[i] += d[i];
            }
        }
        byte[] pixels = exposure.apply(density, SyntheticCxr.stream(seed, "noise", index));

        List<Target> targets = new ArrayList<>();
        int request = 0;
        int object = 0;
        for (Lesion l : plan.lesions()) {
            if (l.finding != null) {
                FindingSampler.Placed p = drawn.requested().get(request++);
                if (p != null) {
                    targets.add(new Target(l, p.finding().mask(), p.finding().box(), null));
                }
            } else if (l == Lesion.PNEUMOTHORAX) {
                if (ptx != null) {
                    targets.add(new Target(l, ptx.mask(), Box.ofMask(ptx.mask(), size), null));
                }
            } else if (l == Lesion.FOREIGN_OBJECT) {
                if (object < foreign.size()) {
                    DownstreamLesions.ForeignObject o = foreign.get(object++);
                    targets.add(new Target(l, o.mask(), Box.ofMask(o.mask(), size), o.shape().clone()));
                }
            } else {
                byte[] heart = DownstreamLesions.heart(an, size);
                Box box = Box.ofMask(heart, size);
                if (box != null) {
                    targets.add(new Target(l, heart, box, null));
                }
            }
        }
        List<Finding> background = drawn.background().stream().map(FindingSampler.Placed::finding).toList();
        return new Image(seed, index, size, pixels, labels, targets, background, cardiomegaly, edema);
    }
}
