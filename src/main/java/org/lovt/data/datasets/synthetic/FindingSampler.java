package org.lovt.data.datasets.synthetic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses 0-3 findings for an image and draws each into its own density layer, with its mask.
 *
 * <p>Placement rules: lung findings (opacity, nodule, effusion, atelectasis) occupy distinct zones, lie inside the
 * lung field of their side (their masks are clipped to it) and have their mask centroid in their zone; effusions
 * are always in a lower zone and atelectasis in a middle or lower zone; at most one device, whose tip lies in an
 * upper or middle zone of either lung and whose line runs from the neck, inside the body, across zones.
 */
final class FindingSampler {
    /** A finding with the density it adds to the (antialiased) image. */
    record Placed(Finding finding, float[] density) {}

    /** Cumulative probabilities of 0, 1, 2 and 3 findings. */
    private static final double[] COUNT_CDF = {0.25, 0.60, 0.85, 1.0};
    private static final FindingType[] TYPES = FindingType.values();
    /** Relative frequencies of OPACITY, NODULE, EFFUSION, ATELECTASIS, DEVICE. */
    private static final double[] TYPE_WEIGHTS = {0.26, 0.24, 0.2, 0.15, 0.15};
    private static final double UNCERTAIN = 0.15;
    private static final int TRIES = 40;
    /** Mask threshold, as a fraction of a lung finding's peak density after the antialiasing blur. */
    private static final double MASK_LEVEL = 0.25;

    private final SplittableRandom r;
    private final Anatomy an;
    private final byte[] labels;
    private final LungZones zones;
    private final int size;
    private final double z;

    private FindingSampler(SplittableRandom r, Anatomy an, byte[] labels, LungZones zones, int size) {
        this.r = r;
        this.an = an;
        this.labels = labels;
        this.zones = zones;
        this.size = size;
        this.z = an.zoom * size;
    }

    static List<Placed> sample(SplittableRandom r, Anatomy an, byte[] labels, LungZones zones, int size) {
        return new FindingSampler(r, an, labels, zones, size).random(EnumSet.allOf(FindingType.class),
                EnumSet.noneOf(Zone.class), false);
    }

    /**
     * A requested finding for a downstream image ({@link DownstreamCxr}).
     *
     * @param type  what to draw
     * @param scale size factor of nodules and opacities (1 = the pre-training sizes; ignored by the other types)
     */
    record Request(FindingType type, double scale) {}

    /**
     * The requested findings (each in a zone of its own where its type allows one, null where none could be
     * placed) and then, as in pre-training, 0-3 random findings restricted to {@code background} types, in zones
     * left free.
     *
     * @param occupied zones already taken (by a lesion drawn elsewhere); the placed findings' zones are added
     */
    static Targeted sample(SplittableRandom r, Anatomy an, byte[] labels, LungZones zones, int size,
                           List<Request> requests, Set<FindingType> background, Set<Zone> occupied) {
        FindingSampler s = new FindingSampler(r, an, labels, zones, size);
        List<Placed> requested = new ArrayList<>();
        boolean device = false;
        for (Request q : requests) {
            Placed p = s.placeRequested(q, occupied);
            requested.add(p);
            device |= p != null && q.type() == FindingType.DEVICE;
        }
        List<Placed> random = background.isEmpty() ? List.of() : s.random(background, occupied, device);
        return new Targeted(requested, random);
    }

    /** What {@link #sample(SplittableRandom, Anatomy, byte[], LungZones, int, List, Set, Set)} drew. */
    record Targeted(List<Placed> requested, List<Placed> background) {}

    private Placed placeRequested(Request q, Set<Zone> occupied) {
        List<Zone> allowed = new ArrayList<>();
        for (Zone zone : Zone.values()) {
            if (allows(q.type(), zone) && (q.type() == FindingType.DEVICE || !occupied.contains(zone))
                    && zones.box(zone) != null) {
                allowed.add(zone);
            }
        }
        while (!allowed.isEmpty()) {
            Zone zone = allowed.remove(r.nextInt(allowed.size()));
            Placed p = place(q.type(), zone, false, q.scale());
            if (p != null) {
                if (q.type() != FindingType.DEVICE) {
                    occupied.add(zone);
                }
                return p;
            }
        }
        return null;
    }

    /**
     * The pre-training draw: a count from {@link #COUNT_CDF}, then types by {@link #TYPE_WEIGHTS}; a type outside
     * {@code types} uses up its attempt (so that with all types this is exactly the pre-training sampler).
     */
    private List<Placed> random(Set<FindingType> types, Set<Zone> occupied, boolean deviceDrawn) {
        double u = r.nextDouble();
        int count = 0;
        while (u > COUNT_CDF[count]) {
            count++;
        }
        List<Placed> out = new ArrayList<>();
        boolean device = deviceDrawn;
        for (int attempt = 0; out.size() < count && attempt < 10 * count; attempt++) {
            FindingType type = pickType();
            if (!types.contains(type) || (type == FindingType.DEVICE && device)) {
                continue;
            }
            List<Zone> allowed = new ArrayList<>();
            for (Zone zone : Zone.values()) {
                if (allows(type, zone) && (type == FindingType.DEVICE || !occupied.contains(zone))
                        && zones.box(zone) != null) {
                    allowed.add(zone);
                }
            }
            if (allowed.isEmpty()) {
                continue;
            }
            Zone zone = allowed.get(r.nextInt(allowed.size()));
            boolean uncertain = type != FindingType.DEVICE && r.nextDouble() < UNCERTAIN;
            Placed p = place(type, zone, uncertain, 1.0);
            if (p == null) {
                continue;
            }
            out.add(p);
            if (type == FindingType.DEVICE) {
                device = true;
            } else {
                occupied.add(zone);
            }
        }
        return out;
    }

    private FindingType pickType() {
        double u = r.nextDouble();
        for (int i = 0; i < TYPES.length; i++) {
            u -= TYPE_WEIGHTS[i];
            if (u < 0) {
                return TYPES[i];
            }
        }
        return TYPES[TYPES.length - 1];
    }

    private static boolean allows(FindingType type, Zone zone) {
        return switch (type) {
            case EFFUSION -> zone.level() == Level.LOWER;
            case ATELECTASIS -> zone.level() != Level.UPPER;
            case DEVICE -> zone.level() != Level.LOWER;
            default -> true;
        };
    }

    private Placed place(FindingType type, Zone zone, boolean uncertain, double scale) {
        for (int t = 0; t < TRIES; t++) {
            Placed p = switch (type) {
                case NODULE -> nodule(zone, uncertain, scale);
                case OPACITY -> opacity(zone, uncertain, scale);
                case EFFUSION -> effusion(zone, uncertain);
                case ATELECTASIS -> atelectasis(zone, uncertain);
                case DEVICE -> device(zone);
            };
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private byte lungLabel(Side side) {
        return side == Side.RIGHT ? SyntheticSample.RIGHT_LUNG : SyntheticSample.LEFT_LUNG;
    }

    /** A random pixel centre of the zone's box that lies in the zone's lung field, or null. */
    private double[] pointIn(Zone zone) {
        Box b = zones.box(zone);
        int x = b.x() + r.nextInt(b.w());
        int y = b.y() + r.nextInt(b.h());
        if (labels[y * size + x] != lungLabel(zone.side()) || zones.zoneOf(x, y) != zone) {
            return null;
        }
        return new double[] {x + 0.5, y + 0.5};
    }

    private Placed nodule(Zone zone, boolean uncertain, double scale) {
        double[] c = pointIn(zone);
        if (c == null) {
            return null;
        }
        double radius = Math.max(2.2, Anatomy.uniform(r, 0.014, 0.026) * z * scale);
        Raster d = new Raster(size);
        d.ellipseAdd(c[0], c[1], radius, radius, Anatomy.uniform(r, 0.14, 0.24), Raster.FLAT);
        return finish(FindingType.NODULE, zone, d, uncertain, 0.95);
    }

    private Placed opacity(Zone zone, boolean uncertain, double scale) {
        double[] c = pointIn(zone);
        if (c == null) {
            return null;
        }
        double big = Anatomy.uniform(r, 0.045, 0.075) * z * scale;
        Raster env = new Raster(size);
        int lobes = 3 + r.nextInt(3);
        for (int i = 0; i < lobes; i++) {
            double ox = c[0] + Anatomy.uniform(r, -0.55, 0.55) * big;
            double oy = c[1] + Anatomy.uniform(r, -0.55, 0.55) * big;
            env.ellipseAdd(ox, oy, Anatomy.uniform(r, 0.45, 0.75) * big, Anatomy.uniform(r, 0.45, 0.75) * big, 1,
                    Raster.SMOOTH);
        }
        int reach = (int) Math.ceil(1.4 * big) + 1;
        float[] patch = ValueNoise.fill(r, size, Math.max(4, (int) Math.round(size / (0.35 * big))),
                (int) c[0] - reach, (int) c[1] - reach, (int) c[0] + reach, (int) c[1] + reach);
        double amp = Anatomy.uniform(r, 0.18, 0.26);
        for (int i = 0; i < env.a.length; i++) {
            float e = Math.min(1f, env.a[i] * 1.6f);
            env.a[i] = e <= 0 ? 0 : (float) (amp * e * (0.7 + 0.3 * patch[i]));
        }
        return finish(FindingType.OPACITY, zone, env, uncertain, 0.75);
    }

    private Placed effusion(Zone zone, boolean uncertain) {
        Anatomy.Lung l = an.lung(zone.side());
        double h = Anatomy.uniform(r, 0.10, 0.2) * l.height() * size;
        double ramp = Anatomy.uniform(r, 0.3, 0.45) * h;
        double amp = Anatomy.uniform(r, 0.2, 0.3);
        byte lung = lungLabel(zone.side());
        Raster d = new Raster(size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (labels[y * size + x] != lung) {
                    continue;
                }
                double dist = Math.abs((x + 0.5) / size - an.cx);
                double w = (dist - l.medial()) / (l.lateral() - l.medial());
                // Fluid layered on the hemidiaphragm, its meniscus climbing along the lateral chest wall.
                double meniscus = Anatomy.domeAt(l, dist) * size - h * (0.3 + 0.7 * w * w);
                double depth = y + 0.5 - meniscus;
                if (depth > 0) {
                    d.a[y * size + x] = (float) (amp * Math.min(1, depth / ramp));
                }
            }
        }
        return finish(FindingType.EFFUSION, zone, d, uncertain, 0.0);
    }

    private Placed atelectasis(Zone zone, boolean uncertain) {
        double[] c = pointIn(zone);
        if (c == null) {
            return null;
        }
        double half = Anatomy.uniform(r, 0.05, 0.08) * z;
        double angle = Anatomy.uniform(r, -0.35, 0.35);
        double dx = StrictMath.cos(angle) * half;
        double dy = StrictMath.sin(angle) * half;
        Raster d = new Raster(size);
        d.capsuleMax(c[0] - dx, c[1] - dy, c[0] + dx, c[1] + dy, Math.max(1.6, Anatomy.uniform(r, 0.009, 0.014) * z),
                Anatomy.uniform(r, 0.15, 0.22), Raster.SMOOTH);
        return finish(FindingType.ATELECTASIS, zone, d, uncertain, 0.92);
    }

    private Placed device(Zone zone) {
        double[] tip = pointIn(zone);
        Anatomy.Lung l = an.lung(zone.side());
        // Catheter tips sit centrally, so keep the tip in the medial half of the lung field.
        if (tip == null || Math.abs(tip[0] / size - an.cx) > l.medial() + 0.45 * (l.lateral() - l.medial())) {
            return null;
        }
        Side entrySide = r.nextBoolean() ? Side.RIGHT : Side.LEFT;
        double ex = (an.cx + entrySide.imageDirection() * Anatomy.uniform(r, 0.02, 0.06) * an.zoom) * size;
        double ey = 0.5;
        // Down the neck, towards the mediastinum, then out to the tip: a cubic Bezier curve.
        double c1x = ex;
        double c1y = (an.right.apexY() + 0.05 * an.zoom) * size;
        double c2x = (an.cx * size + tip[0]) / 2;
        double c2y = tip[1] - Anatomy.uniform(r, 0.03, 0.1) * z;
        int n = 48;
        double[] pts = new double[2 * (n + 1)];
        for (int i = 0; i <= n; i++) {
            double t = i / (double) n;
            double m = 1 - t;
            pts[2 * i] = m * m * m * ex + 3 * m * m * t * c1x + 3 * m * t * t * c2x + t * t * t * tip[0];
            pts[2 * i + 1] = m * m * m * ey + 3 * m * m * t * c1y + 3 * m * t * t * c2y + t * t * t * tip[1];
        }
        Raster d = new Raster(size);
        d.polylineMax(pts, Math.max(1.1, 0.0045 * z), Anatomy.uniform(r, 0.3, 0.45), Raster.FLAT);
        int[] ext = extent(d.a);
        float drawn = max(d.a, ext);
        for (int y = ext[1]; y <= ext[3]; y++) {
            for (int i = y * size + ext[0]; i <= y * size + ext[2]; i++) {
                if (d.a[i] >= 0.5f * drawn && labels[i] == SyntheticSample.OUTSIDE) {
                    return null; // the line left the body: draw another
                }
            }
        }
        Blur.antialias(d.a, size, ext[0], ext[1], ext[2], ext[3]);
        int[] grown = grow(ext);
        // A thin bright line changes its neighbours visibly after the blur, so its mask takes a low threshold.
        float level = 0.12f * max(d.a, grown);
        byte[] mask = new byte[size * size];
        for (int y = grown[1]; y <= grown[3]; y++) {
            for (int i = y * size + grown[0]; i <= y * size + grown[2]; i++) {
                if (d.a[i] >= level && labels[i] != SyntheticSample.OUTSIDE) {
                    mask[i] = 1;
                }
            }
        }
        Box box = Box.ofMask(mask, size);
        int tx = (int) tip[0];
        int ty = (int) tip[1];
        if (box == null || mask[ty * size + tx] == 0) {
            return null;
        }
        return new Placed(new Finding(FindingType.DEVICE, zone, box, mask, tx, ty, false), d.a);
    }

    /**
     * Clips a lung finding's density to its lung field, blurs it like the image ({@link Blur#antialias}), derives
     * the mask (lung pixels whose blurred density is at least {@link #MASK_LEVEL} of its peak, i.e. every pixel the
     * finding visibly changes) and checks it: at least {@code keep} of the unclipped footprint must survive the
     * clipping (so the finding is not cut into a sliver) and the mask centroid must be a lung pixel in the intended
     * zone.
     */
    private Placed finish(FindingType type, Zone zone, Raster d, boolean uncertain, double keep) {
        byte lung = lungLabel(zone.side());
        int[] ext = extent(d.a);
        if (ext == null) {
            return null;
        }
        float footprint = (float) (MASK_LEVEL * max(d.a, ext));
        int before = 0;
        for (int y = ext[1]; y <= ext[3]; y++) {
            for (int i = y * size + ext[0]; i <= y * size + ext[2]; i++) {
                if (d.a[i] >= footprint) {
                    before++;
                }
                if (labels[i] != lung) {
                    d.a[i] = 0;
                }
            }
        }
        Blur.antialias(d.a, size, ext[0], ext[1], ext[2], ext[3]);
        int[] grown = grow(ext);
        float level = (float) (MASK_LEVEL * max(d.a, grown));
        byte[] mask = new byte[size * size];
        int after = 0;
        long sx = 0;
        long sy = 0;
        for (int y = grown[1]; y <= grown[3]; y++) {
            for (int x = grown[0]; x <= grown[2]; x++) {
                int i = y * size + x;
                if (d.a[i] >= level && level > 0 && labels[i] == lung) {
                    mask[i] = 1;
                    after++;
                    sx += x;
                    sy += y;
                }
            }
        }
        if (after == 0 || after < keep * before) {
            return null;
        }
        int cx = (int) Math.round((double) sx / after);
        int cy = (int) Math.round((double) sy / after);
        if (labels[cy * size + cx] != lung || zones.zoneOf(cx, cy) != zone) {
            return null;
        }
        Box box = Box.ofMask(mask, size);
        return new Placed(new Finding(type, zone, box, mask, cx, cy, uncertain), d.a);
    }

    /** The tight rectangle {x0, y0, x1, y1} of the non-zero pixels, or null if there are none. */
    private int[] extent(float[] a) {
        int x0 = size, y0 = size, x1 = -1, y1 = -1;
        for (int y = 0; y < size; y++) {
            int row = y * size;
            for (int x = 0; x < size; x++) {
                if (a[row + x] != 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    if (y0 == size) {
                        y0 = y;
                    }
                    y1 = y;
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
    }

    /** The rectangle grown by the antialiasing blur's reach (generously) and clipped to the image. */
    private int[] grow(int[] ext) {
        int reach = 3 * (int) Math.ceil(size / 224.0) + 2;
        return new int[] {Math.max(0, ext[0] - reach), Math.max(0, ext[1] - reach), Math.min(size - 1, ext[2] + reach),
                Math.min(size - 1, ext[3] + reach)};
    }

    private float max(float[] a, int[] rect) {
        float m = 0;
        for (int y = rect[1]; y <= rect[3]; y++) {
            for (int i = y * size + rect[0]; i <= y * size + rect[2]; i++) {
                m = Math.max(m, a[i]);
            }
        }
        return m;
    }
}
