package org.lovt.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the demo's default recipe reaches: each finding sentence's most attended region lands in the finding's lung
 * zone more often than chance, and at least 3 points more often than with the untrained model, which training without
 * the cross-sample term ({@code --lovt-only}) or without any local loss ({@code --global-only}) does not reach; the
 * box hits and the segmentation Dice improve too. Whether the gain needs the sentence is printed, not asserted: the
 * control without the sentence (the attention averaged over the report's sentences) scores 14.5 % / 5.1 % in one
 * run, but as much as the sentence or more in others, and the sentence picks another finding of its image about as
 * often as its own (README, demo status).
 *
 * <p>Each run takes about 7 minutes on 2 cores (the grounding needs most of the demo's 8-minute budget to appear).
 * The default recipe's run is part of the default suite; the two control runs carry the tag {@code heavy} (run them
 * with {@code mvn test -Dtest=DemoGroundingTest -Dlovt.excludedTags=gpu}). Runs are limited by epochs, not time, so
 * they are reproducible on one machine; the test split is larger than the demo's to make the measured rates less
 * noisy (about 550 finding sentences). Zone grounding after 36 epochs of the same seeded run, untrained 8.5 %, chance
 * 12.1 %: 17.8 % on an AVX2-only CPU, 17.4 % on the AVX-512 EPYC machines with oneDNN uncapped (correct there for
 * this network's channel counts), 14.0 % on the same machines with oneDNN capped at SSE41 (the kernel check's
 * verdict, also correct): kernels that round differently move the result by about 4 points, so the margin over
 * chance, once 3 points as well, was a property of the rounding and is no longer asserted; the margin over the
 * untrained model (5.5 points or more in all three) is. Controls, measured on the AVX2-only CPU: 11.8 % (LoVT's
 * losses only), 7.6 % (global loss only).
 *
 * <p>"After" is the run's best checkpoint by validation loss (loaded with {@code LovtEncoder.fromRun}) since the demo
 * became a script over the public API; before, it was the model after the last epoch. On the SSE41-capped EPYC
 * machines the default run gives the same numbers either way (zone 8.5 % -> 14.0 %, box 4.2 % -> 9.8 %, Dice 0.125 ->
 * 0.210, 698 s on 2 busy cores).
 */
class DemoGroundingTest {
    static final long SEED = 12345;
    static final int EPOCHS = 36;
    /** Required gain of zone-level grounding over the untrained model, in absolute rate; it must beat chance too. */
    static final double MARGIN = 0.03;

    static Demo.Result run(Path out, Demo.Recipe recipe) throws Exception {
        return Demo.run(new Demo.Settings(SEED, 1200, 32, 400, 30, EPOCHS, out, 1, recipe, List.of(), 0,
                new PrintStream(PrintStream.nullOutputStream())));
    }

    static String describe(Demo.Result r) {
        return String.format("zone grounding %.3f -> %.3f (chance %.3f, without the sentence %.3f), box %.3f -> %.3f "
                        + "(chance %.3f, without the sentence %.3f), own finding %.3f vs another %.3f of %d, "
                        + "pool %.3f -> %.3f, Dice %.3f -> %.3f, %d sentences, %d epochs, by kind %s",
                r.zoneGroundingBefore(), r.zoneGroundingAfter(), r.zoneGroundingChance(),
                r.reportMeanZoneGroundingAfter(), r.groundingBefore(), r.groundingAfter(), r.groundingChance(),
                r.reportMeanGroundingAfter(), r.describedFindingOnlyAfter(), r.otherFindingOnlyAfter(),
                r.multiFindingSentences(), r.poolGroundingBefore(), r.poolGroundingAfter(), r.diceRandomInit(),
                r.diceLearned(), r.groundedSentences(), r.epochs(), r.byFindingType());
    }

    static boolean reachesTheMargin(Demo.Result r) {
        return r.zoneGroundingAfter() >= r.zoneGroundingBefore() + MARGIN
                && r.zoneGroundingAfter() > r.zoneGroundingChance();
    }

    @Test
    void defaultRecipeBeatsChanceAndTheUntrainedModel(@TempDir Path tmp)
            throws Exception {
        Demo.Result r = run(tmp.resolve("default"), Demo.Recipe.DEFAULT);
        System.out.println("DemoGroundingTest default: " + describe(r));
        assertTrue(r.epochs() == EPOCHS, "the run is limited by epochs, not by its time budget: " + r.epochs());
        assertTrue(r.groundedSentences() >= 400, "enough finding sentences for a stable rate: " + r.groundedSentences());
        assertTrue(reachesTheMargin(r), describe(r));
        assertTrue(r.groundingAfter() > r.groundingBefore(), "box-level grounding improves too: " + describe(r));
        assertTrue(r.diceLearned() > r.diceRandomInit() + 0.03, "the features segment the findings better: "
                + r.diceRandomInit() + " -> " + r.diceLearned());
    }

    @Test
    @Tag("heavy")
    void controlsDoNotReachTheMargin(@TempDir Path tmp) throws Exception {
        for (Demo.Recipe recipe : new Demo.Recipe[] {Demo.Recipe.GLOBAL_ONLY, Demo.Recipe.LOVT_ONLY}) {
            Demo.Result r = run(tmp.resolve(recipe.name()), recipe);
            System.out.println("DemoGroundingTest " + recipe + ": " + describe(r));
            assertFalse(reachesTheMargin(r), recipe + " " + describe(r));
        }
    }
}
