package org.lovt.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pointing game on a model's sentence→region attention, with its controls (see
 * {@link Evaluations#pointingGame}). Rates are fractions of the finding sentences; all are 0 when there was none.
 *
 * @param sentences            the finding sentences scored
 * @param hits                 the most attended region lies on the described finding's box
 * @param chance               the rate of a pointer that picks a region uniformly at random
 * @param zoneHits             it lies in the finding's lung zone
 * @param zoneChance           a random pointer's zone rate
 * @param poolHits             the region the scan attention pool (the global image embedding) weighs most lies on
 *                             the described finding's box (NaN for a model without attention pool)
 * @param reportMeanHits       the control without the sentence: the box rate of the attention averaged over all
 *                             sentences of the report, one pointer per image
 * @param reportMeanZoneHits   its zone rate
 * @param multiFindingSentences the finding sentences of images with several findings
 * @param describedFindingOnly of those, the fraction whose most attended region lies on the described finding's box
 *                             and on no other finding's
 * @param otherFindingOnly     the fraction whose most attended region lies on another finding's box but not on the
 *                             described one's
 * @param byKind               box and zone rates by kind of finding ({@code opacity}, {@code nodule}, ...)
 * @param pictures             the attention pictures written, in order (empty unless requested)
 */
public record PointingGameResult(int sentences, double hits, double chance, double zoneHits, double zoneChance,
                                 double poolHits, double reportMeanHits, double reportMeanZoneHits,
                                 int multiFindingSentences, double describedFindingOnly, double otherFindingOnly,
                                 Map<String, ByKind> byKind, List<Path> pictures) {
    /**
     * The sentences about one kind of finding.
     *
     * @param sentences  how many
     * @param hits       box hit rate
     * @param chance     a random pointer's box rate
     * @param zoneHits   zone hit rate
     * @param zoneChance a random pointer's zone rate
     */
    public record ByKind(int sentences, double hits, double chance, double zoneHits, double zoneChance) {}

    public PointingGameResult {
        byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
        pictures = List.copyOf(pictures);
    }
}
