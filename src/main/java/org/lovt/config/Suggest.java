package org.lovt.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" hints: the closest known name by edit distance, if it is close enough to be a typo. */
final class Suggest {
    private Suggest() {}

    static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        String lower = name.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestDist) {
                bestDist = d;
                best = c;
            }
        }
        int limit = Math.max(2, name.length() / 3);
        if (best != null && bestDist <= limit) {
            return Optional.of(best);
        }
        // A truncated name ("resnet50attention" for "resnet50attention_imagenet") is far in edit distance.
        if (name.length() >= 4) {
            String only = null;
            for (String c : candidates) {
                String lc = c.toLowerCase(Locale.ROOT);
                if (lc.startsWith(lower) || lower.startsWith(lc) && lc.length() >= 4) {
                    if (only != null) {
                        return Optional.empty(); // ambiguous: better no hint than a wrong one
                    }
                    only = c;
                }
            }
            return Optional.ofNullable(only);
        }
        return Optional.empty();
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    static String hint(String name, Collection<String> candidates) {
        return closest(name, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
