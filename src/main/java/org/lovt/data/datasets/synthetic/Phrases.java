package org.lovt.data.datasets.synthetic;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The words that name zones in report sentences. Every phrase names the side ({@code right}/{@code left}) once and
 * the level with one of: upper; mid/middle; lower/base/basal/costophrenic.
 */
final class Phrases {
    private Phrases() {}

    private static final List<String> UPPER = List.of("in the %s upper zone", "in the %s upper lung zone",
            "in the upper zone of the %s lung", "in the %s upper lung field", "in the %s upper lung");
    private static final List<String> MIDDLE = List.of("in the %s mid zone", "in the %s middle zone",
            "in the %s mid lung zone", "in the mid zone of the %s lung", "in the %s mid lung field",
            "in the %s mid lung");
    private static final List<String> LOWER = List.of("in the %s lower zone", "in the %s lower lung zone",
            "at the %s lung base", "at the %s base", "in the lower zone of the %s lung", "in the %s lower lung field");

    /** A prepositional phrase locating something in {@code zone}, e.g. "in the right upper zone". */
    static String location(SplittableRandom r, Zone zone) {
        List<String> forms = switch (zone.level()) {
            case UPPER -> UPPER;
            case MIDDLE -> MIDDLE;
            case LOWER -> LOWER;
        };
        return String.format(forms.get(r.nextInt(forms.size())), zone.side().word());
    }

    /** The same, for something that projects over the zone: "over the right upper zone". */
    static String over(SplittableRandom r, Zone zone) {
        String loc = location(r, zone);
        return "over " + loc.substring(loc.indexOf("the "));
    }

    /** A noun modifier naming the zone, e.g. "right upper zone" or "left basal". */
    static String modifier(SplittableRandom r, Zone zone) {
        String side = zone.side().word();
        return switch (zone.level()) {
            case UPPER -> side + " upper zone";
            case MIDDLE -> side + (r.nextBoolean() ? " mid zone" : " mid lung");
            case LOWER -> side + (r.nextBoolean() ? " lower zone" : " basal");
        };
    }

    static <T> T pick(SplittableRandom r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    /** "a" or "an" for the word that follows. */
    static String article(String next) {
        return "aeiou8".indexOf(Character.toLowerCase(next.charAt(0))) >= 0 ? "an" : "a"; // "an 8 mm nodule"
    }

    static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
