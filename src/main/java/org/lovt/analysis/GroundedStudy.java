package org.lovt.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.lovt.data.datasets.synthetic.FindingType;
import org.lovt.data.datasets.synthetic.SyntheticSample;
import org.lovt.data.datasets.synthetic.Zone;

/**
 * A study with localisation ground truth, what the grounding and segmentation evaluations need: the image as the
 * model sees it, the report's sentences, which finding each sentence describes, where each finding is, and the union
 * of the findings' masks.
 *
 * @param index            the study's index in its split (for tables)
 * @param size             side of the square image in pixels (the model's input size)
 * @param image            row-major 8-bit grayscale pixels, {@code size × size}
 * @param sentences        the report's sentences, in order
 * @param sentenceFindings for each sentence the index into {@code findings} of the finding it describes, or -1
 * @param findings         the findings
 * @param findingMask      row-major {@code size × size}, 1 where any finding changes the image, else 0
 */
public record GroundedStudy(int index, int size, byte[] image, List<String> sentences, int[] sentenceFindings,
                            List<Finding> findings, byte[] findingMask) {
    /**
     * A pixel box: columns {@code x .. x+w-1}, rows {@code y .. y+h-1}.
     */
    public record Box(int x, int y, int w, int h) {}

    /**
     * A finding and where it is.
     *
     * @param kind    what it is ({@code nodule}, {@code device}, ...), the key of the breakdown by kind
     * @param zone    the name of the region it lies in ({@code right_upper}, ...)
     * @param box     the tight box around it
     * @param zoneBox the box of that region
     * @param anchorX column of the point that defines its zone
     * @param anchorY row of that point
     */
    public record Finding(String kind, String zone, Box box, Box zoneBox, int anchorX, int anchorY) {
        public Finding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(box, "box");
            Objects.requireNonNull(zoneBox, "zoneBox");
        }
    }

    public GroundedStudy {
        if (image.length != size * size || findingMask.length != size * size) {
            throw new IllegalArgumentException("image and mask need " + size * size + " pixels, got "
                    + image.length + " and " + findingMask.length);
        }
        sentences = List.copyOf(sentences);
        findings = List.copyOf(findings);
        if (sentenceFindings.length != sentences.size()) {
            throw new IllegalArgumentException(sentences.size() + " sentences but " + sentenceFindings.length
                    + " sentence→finding entries");
        }
        for (int f : sentenceFindings) {
            if (f < -1 || f >= findings.size()) {
                throw new IllegalArgumentException("sentence→finding index " + f + " with " + findings.size()
                        + " findings");
            }
        }
    }

    /** The kinds of finding in the order the breakdown lists them (the synthetic generator's order). */
    public static List<String> syntheticKinds() {
        List<String> kinds = new ArrayList<>();
        for (FindingType t : FindingType.values()) {
            kinds.add(t.key());
        }
        return kinds;
    }

    /** A synthetic study (the generator's ground truth, or the same read back from its folder). */
    public static GroundedStudy of(SyntheticSample s) {
        int size = s.size();
        Map<Zone, org.lovt.data.datasets.synthetic.Box> zones = s.zoneBoxes();
        List<Finding> findings = new ArrayList<>();
        byte[] mask = new byte[size * size];
        for (org.lovt.data.datasets.synthetic.Finding f : s.findings()) {
            findings.add(new Finding(f.type().key(), f.zone().key(), box(f.box()), box(zones.get(f.zone())),
                    f.anchorX(), f.anchorY()));
            byte[] m = f.mask();
            for (int p = 0; p < mask.length; p++) {
                if (m[p] != 0) {
                    mask[p] = 1;
                }
            }
        }
        return new GroundedStudy(s.index(), size, s.pixels(), s.sentences(), s.sentenceFindings(), findings, mask);
    }

    private static Box box(org.lovt.data.datasets.synthetic.Box b) {
        return new Box(b.x(), b.y(), b.w(), b.h());
    }
}
