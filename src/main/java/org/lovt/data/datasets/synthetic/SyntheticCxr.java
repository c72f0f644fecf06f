package org.lovt.data.datasets.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovt.torch.Seeds;

/**
 * Deterministic generator of synthetic paired chest X-ray data: a grayscale frontal radiograph-like image with 0-3
 * findings at anatomical locations, the report that describes them, and the localisation ground truth (masks,
 * boxes, zones, which sentence describes which finding).
 *
 * <p>{@code generate(seed, index, size)} always returns the same sample (same pixels, text and ground truth, bit for
 * bit), on any machine: all randomness comes from {@link Seeds#javaRandom} streams named after the part they drive
 * (anatomy, findings, exposure, noise, text) and the index, and all arithmetic is plain Java. Separate streams also
 * mean that the image without its findings ({@code drawFindings = false}) is otherwise identical, which the tests use
 * to measure how visible a finding is.
 *
 * <p>Conventions: radiological orientation, the patient's right on the image left ({@link Side}); zones are thirds
 * of each lung field's height ({@link LungZones}); CheXpert labels as in {@link ChexpertLabels}.
 */
public final class SyntheticCxr {
    /** The default image size, LoVT's input resolution. */
    public static final int DEFAULT_SIZE = 224;
    /** Smallest supported size; below it nodules and lines are no longer drawable. */
    public static final int MIN_SIZE = 64;
    /** Largest supported size. */
    public static final int MAX_SIZE = 4096;

    static final double CARDIOMEGALY = 0.2;
    static final double EDEMA = 0.12;
    static final double AP = 0.3;

    private SyntheticCxr() {}

    /** Sample {@code index} of {@code seed} at {@link #DEFAULT_SIZE}. */
    public static SyntheticSample generate(long seed, int index) {
        return generate(seed, index, DEFAULT_SIZE);
    }

    /**
     * Sample {@code index} (≥ 0) of {@code seed} as a {@code size x size} image. The anatomy is drawn in
     * size-independent coordinates, so a (seed, index) shows the same body at every size; the findings are placed
     * on the pixel grid and so differ between sizes.
     */
    public static SyntheticSample generate(long seed, int index, int size) {
        return generate(seed, index, size, true);
    }

    static SyntheticSample generate(long seed, int index, int size, boolean drawFindings) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "], got " + size);
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        SplittableRandom anatomyRng = stream(seed, "anatomy", index);
        boolean cardiomegaly = anatomyRng.nextDouble() < CARDIOMEGALY;
        View view = anatomyRng.nextDouble() < AP ? View.AP : View.PA;
        boolean edema = anatomyRng.nextDouble() < EDEMA;
        Anatomy an = Anatomy.sample(anatomyRng, cardiomegaly, edema);
        AnatomyRenderer.Result body = AnatomyRenderer.render(an, anatomyRng, size);
        LungZones zones = LungZones.of(body.labels(), size, an.cx * size);
        List<FindingSampler.Placed> placed = FindingSampler.sample(stream(seed, "findings", index), an,
                body.labels(), zones, size);
        Raster density = body.density();
        Blur.antialias(density.a, size); // findings come antialiased too: the blur is linear
        Exposure exposure = Exposure.sample(stream(seed, "exposure", index), density);
        List<Finding> findings = new ArrayList<>();
        for (FindingSampler.Placed p : placed) {
            findings.add(p.finding());
            if (drawFindings) {
                float[] a = density.a;
                for (int i = 0; i < a.length; i++) {
                    a[i] += p.density()[i];
                }
            }
        }
        byte[] pixels = exposure.apply(density, stream(seed, "noise", index));
        ReportComposer.Report report = ReportComposer.compose(stream(seed, "text", index), findings, cardiomegaly,
                edema, size);
        return new SyntheticSample(seed, index, size, view, pixels, body.labels(), zones, findings, report.findings(),
                report.impression(), cardiomegaly, edema, report.labels());
    }

    static SplittableRandom stream(long seed, String part, int index) {
        return Seeds.javaRandom(seed, "synthetic-cxr/" + part + "/" + index);
    }
}
