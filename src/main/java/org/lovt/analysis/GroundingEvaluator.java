package org.lovt.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The pointing game ({@link PointingGame}) on the sentence→region attention of a model, with its controls, over
 * {@link GroundedStudy studies} whose finding sentences have known boxes. For each sentence that describes a finding:
 * <ul>
 *   <li>{@code hits}: its most attended region lies on the finding's box; {@code zoneHits}: in the finding's zone;
 *       {@code chance} and {@code zoneChance}: the rates of a pointer that picks a region uniformly at random;</li>
 *   <li>the control without the sentence ({@code reportMeanHits}, {@code reportMeanZoneHits}): the same game with the
 *       attention averaged over all kept sentences of the report (findings and normal ones alike), one pointer per
 *       image, which shows how much of the hit rate needs the sentence at all;</li>
 *   <li>{@code poolHits}: the region the scan's attention pool weighs most (what the global image embedding looks
 *       at, the same for every sentence) lies on the described finding's box;</li>
 *   <li>own finding or another: over the {@code multiSentences} finding sentences of images with several findings,
 *       the fraction whose most attended region lies on the described finding's box and on no other finding's
 *       ({@code describedOnly}), and on another finding's box but not the described one's ({@code otherOnly}).
 *       Attention that finds abnormal regions without reading the sentence lands on another finding at least as
 *       often as on its own;</li>
 *   <li>the box and zone rates by kind of finding.</li>
 * </ul>
 * Optionally it keeps one table row per finding sentence ({@link #sentenceTable()}) and draws the first attention
 * maps with the finding's box ({@link #withPictures}).
 *
 * <p>Feed it with {@link #add} (the model's attention for one study at a time), then read {@link #score()}.
 */
public final class GroundingEvaluator {
    /** The header of {@link #sentenceTable()}. */
    public static final String TABLE_HEADER = "study,sentence,finding,zone,box_x,box_y,box_w,box_h,anchor_x,anchor_y,"
            + "region_row,region_col,attention,box_attention,box_hit,zone_hit,report_mean_box_hit,"
            + "report_mean_zone_hit,other_finding_hit,text";

    /**
     * A model's attention on one study.
     *
     * @param keptSentences the indices of the report's sentences the model read (the language model's token budget
     *                      may drop trailing ones), in order
     * @param sentences     for each kept sentence its attention over the {@code gridHeight × gridWidth} regions
     *                      (row-major; each sums to 1)
     * @param pool          the scan attention pool's weights over the regions, or null when the model has none
     * @param gridHeight    region rows
     * @param gridWidth     region columns
     */
    public record Attention(int[] keptSentences, float[][] sentences, float[] pool, int gridHeight, int gridWidth) {
        public Attention {
            if (sentences.length != keptSentences.length) {
                throw new IllegalArgumentException(keptSentences.length + " kept sentences but " + sentences.length
                        + " attention maps");
            }
            int regions = gridHeight * gridWidth;
            for (float[] a : sentences) {
                if (a.length != regions) {
                    throw new IllegalArgumentException("an attention map of " + a.length + " weights for a "
                            + gridHeight + "x" + gridWidth + " grid");
                }
            }
            if (pool != null && pool.length != regions) {
                throw new IllegalArgumentException("pool weights of " + pool.length + " regions for a " + gridHeight
                        + "x" + gridWidth + " grid");
            }
        }
    }

    /**
     * The scores of the sentences about one kind of finding: their number, box and zone hit rates, and a random
     * pointer's.
     */
    public record KindScore(int sentences, double hits, double chance, double zoneHits, double zoneChance) {}

    /**
     * Rates over all finding sentences (see the class comment); all 0 when there was none. {@code poolHits} is NaN
     * when the model has no attention pool.
     */
    public record Score(double hits, double chance, double zoneHits, double zoneChance, int sentences,
                        double poolHits, double reportMeanHits, double reportMeanZoneHits, int multiSentences,
                        double describedOnly, double otherOnly, Map<String, KindScore> byKind) {
        public Score {
            byKind = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
        }
    }

    private final List<String> kindOrder;
    private final Tally all = new Tally();
    private final Map<String, Tally> perKind = new LinkedHashMap<>();
    private List<String> table;
    private Path pictureDir;
    private int pictures;
    private final List<Path> drawn = new ArrayList<>();

    /**
     * @param kindOrder the order in which {@link Score#byKind()} lists kinds of finding (kinds not named follow in
     *                  the order they first appear)
     */
    public GroundingEvaluator(List<String> kindOrder) {
        this.kindOrder = List.copyOf(kindOrder);
    }

    /** Keeps one row per finding sentence for {@link #sentenceTable()}. */
    public GroundingEvaluator withSentenceTable() {
        table = new ArrayList<>();
        return this;
    }

    /**
     * Draws the attention maps of the first {@code count} finding sentences over their images, with the finding's
     * box and the sentence (prefixed {@code HIT} or {@code miss}) as caption, as {@code attention-NN.png} in
     * {@code dir}.
     */
    public GroundingEvaluator withPictures(Path dir, int count) {
        this.pictureDir = Objects.requireNonNull(dir, "dir");
        this.pictures = count;
        return this;
    }

    /** Scores the finding sentences of one study. */
    public void add(GroundedStudy study, Attention attention) {
        int gh = attention.gridHeight();
        int gw = attention.gridWidth();
        int size = study.size();
        int regions = gh * gw;
        int[] kept = attention.keptSentences();
        float[][] p = attention.sentences();
        int[] findingOf = study.sentenceFindings();
        List<GroundedStudy.Finding> findings = study.findings();
        // The attention pool's argmax is one region per image, whatever the sentence.
        int pooled = attention.pool() == null ? -1 : PointingGame.argmax(attention.pool());
        // The control without sentence information: the attention averaged over all of the report's sentences
        // (findings and normal ones alike), one pointer per image.
        float[] meanAttention = new float[regions];
        for (int k = 0; k < kept.length; k++) {
            for (int cell = 0; cell < regions; cell++) {
                meanAttention[cell] += p[k][cell] / kept.length;
            }
        }
        int meanArgmax = PointingGame.argmax(meanAttention);
        for (int k = 0; k < kept.length; k++) {
            int f = findingOf[kept[k]];
            if (f < 0) {
                continue;
            }
            GroundedStudy.Finding finding = findings.get(f);
            float[] a = p[k];
            int argmax = PointingGame.argmax(a);
            GroundedStudy.Box box = finding.box();
            GroundedStudy.Box zone = finding.zoneBox();
            boolean hit = hit(argmax, gh, gw, size, box);
            boolean zoneHit = hit(argmax, gh, gw, size, zone);
            boolean meanHit = hit(meanArgmax, gh, gw, size, box);
            boolean meanZoneHit = hit(meanArgmax, gh, gw, size, zone);
            double boxChance = PointingGame.chance(gh, gw, size, size, box.x(), box.y(), box.w(), box.h());
            double zoneChance = PointingGame.chance(gh, gw, size, size, zone.x(), zone.y(), zone.w(), zone.h());
            boolean poolHit = pooled >= 0 && hit(pooled, gh, gw, size, box);
            boolean otherHit = false;
            for (int other = 0; other < findings.size(); other++) {
                otherHit |= other != f && hit(argmax, gh, gw, size, findings.get(other).box());
            }
            for (Tally t : new Tally[] {all, perKind.computeIfAbsent(finding.kind(), key -> new Tally())}) {
                t.add(hit, zoneHit, boxChance, zoneChance, poolHit, meanHit, meanZoneHit);
            }
            if (findings.size() > 1) {
                all.addMulti(hit && !otherHit, otherHit && !hit);
            }
            String sentence = study.sentences().get(kept[k]);
            if (table != null) {
                double onBox = 0;
                for (int cell = 0; cell < regions; cell++) {
                    onBox += hit(cell, gh, gw, size, box) ? a[cell] : 0;
                }
                table.add(String.format(Locale.ROOT,
                        "%d,%d,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%.4f,%.4f,%b,%b,%b,%b,%b,\"%s\"",
                        study.index(), kept[k], finding.kind(), finding.zone(), box.x(), box.y(), box.w(), box.h(),
                        finding.anchorX(), finding.anchorY(), argmax / gw, argmax % gw, a[argmax], onBox, hit,
                        zoneHit, meanHit, meanZoneHit, otherHit, sentence.replace("\"", "\"\"")));
            }
            if (pictureDir != null && drawn.size() < pictures) {
                Path png = pictureDir.resolve(String.format(Locale.ROOT, "attention-%02d.png", drawn.size()));
                Overlays.attention(png, study.image(), size, size, a, gh, gw,
                        new double[] {box.x(), box.y(), box.w(), box.h()}, (hit ? "HIT  " : "miss ") + sentence);
                drawn.add(png);
            }
        }
        if (pooled < 0) {
            all.noPool = true;
        }
    }

    /** The scores of everything added so far. */
    public Score score() {
        Map<String, KindScore> byKind = new LinkedHashMap<>();
        for (String kind : kindOrder) {
            Tally t = perKind.get(kind);
            if (t != null) {
                byKind.put(kind, t.kind());
            }
        }
        perKind.forEach((kind, t) -> byKind.putIfAbsent(kind, t.kind()));
        if (all.n == 0) {
            return new Score(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byKind);
        }
        int multi = all.multi;
        return new Score(all.hits / all.n, all.chance / all.n, all.zoneHits / all.n, all.zoneChance / all.n,
                all.n, all.noPool ? Double.NaN : all.poolHits / all.n, all.meanHits / all.n, all.meanZoneHits / all.n,
                multi, multi == 0 ? 0 : all.describedOnly / multi, multi == 0 ? 0 : all.otherOnly / multi, byKind);
    }

    /**
     * The CSV table of the finding sentences: {@link #TABLE_HEADER}, then per sentence the study, the sentence's
     * index in the report, the finding, its zone, box and anchor, the most attended region, its weight, the
     * attention mass on the box, the hits of the sentence and of the control, whether it points at another finding,
     * and the sentence.
     */
    public List<String> sentenceTable() {
        if (table == null) {
            throw new IllegalStateException("the sentence table was not requested (withSentenceTable)");
        }
        List<String> out = new ArrayList<>();
        out.add(TABLE_HEADER);
        out.addAll(table);
        return out;
    }

    /** The pictures drawn, in order. */
    public List<Path> pictures() {
        return List.copyOf(drawn);
    }

    /** Whether region {@code region} of the grid over a {@code size}-pixel image overlaps {@code b}. */
    private static boolean hit(int region, int gridH, int gridW, int size, GroundedStudy.Box b) {
        return PointingGame.hit(region, gridH, gridW, size, size, b.x(), b.y(), b.w(), b.h());
    }

    /**
     * Sums over finding sentences: count, hits of the sentence, of the pool and of the control, random rates; and
     * for images with several findings, whether the sentence's argmax lies on its own finding or another.
     */
    private static final class Tally {
        int n;
        double hits;
        double zoneHits;
        double chance;
        double zoneChance;
        double poolHits;
        double meanHits;
        double meanZoneHits;
        int multi;
        double describedOnly;
        double otherOnly;
        boolean noPool;

        void addMulti(boolean onDescribedOnly, boolean onOtherOnly) {
            multi++;
            describedOnly += onDescribedOnly ? 1 : 0;
            otherOnly += onOtherOnly ? 1 : 0;
        }

        void add(boolean hit, boolean zoneHit, double boxChance, double zoneRate, boolean poolHit, boolean meanHit,
                 boolean meanZoneHit) {
            n++;
            hits += hit ? 1 : 0;
            zoneHits += zoneHit ? 1 : 0;
            chance += boxChance;
            zoneChance += zoneRate;
            poolHits += poolHit ? 1 : 0;
            meanHits += meanHit ? 1 : 0;
            meanZoneHits += meanZoneHit ? 1 : 0;
        }

        KindScore kind() {
            return new KindScore(n, hits / n, chance / n, zoneHits / n, zoneChance / n);
        }
    }
}
