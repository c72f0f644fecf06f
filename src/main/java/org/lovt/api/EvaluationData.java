package org.lovt.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lovt.LovtException;
import org.lovt.analysis.GroundedStudy;
import org.lovt.data.datasets.synthetic.SyntheticFolder;
import org.lovt.data.datasets.synthetic.SyntheticSample;

/**
 * Scans with reports and localisation ground truth (which sentence describes which finding, the finding's box, its
 * lung zone and mask): what {@link Evaluations} measures grounding and segmentation on. Held in memory.
 */
public final class EvaluationData {
    private final String description;
    private final List<GroundedStudy> studies;
    private final List<String> kinds;

    private EvaluationData(String description, List<GroundedStudy> studies, List<String> kinds) {
        this.description = description;
        this.studies = List.copyOf(studies);
        this.kinds = List.copyOf(kinds);
    }

    /**
     * A split ({@code train}, {@code validation}, {@code test}) of a synthetic folder written by
     * {@link PretrainingData#generateSynthetic} (or {@code lovt demo}), read back with its ground truth: the same
     * images, reports and boxes the generator produced.
     */
    public static EvaluationData synthetic(Path folder, String split) {
        Path dir = folder.resolve(split);
        if (!Files.isRegularFile(dir.resolve("ground_truth.json"))) {
            throw new LovtException(dir + ": not a split of a synthetic data folder (no ground_truth.json)");
        }
        List<GroundedStudy> studies = new ArrayList<>();
        for (SyntheticSample s : SyntheticFolder.readSamples(dir)) {
            studies.add(GroundedStudy.of(s));
        }
        return new EvaluationData("synthetic " + split + " split of " + folder, studies,
                GroundedStudy.syntheticKinds());
    }

    /** The first {@code n} studies (all of them when there are fewer). */
    public EvaluationData first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        return n >= studies.size() ? this : new EvaluationData("first " + n + " of the " + description,
                studies.subList(0, n), kinds);
    }

    /** Number of studies. */
    public int size() {
        return studies.size();
    }

    /** Side of the square images in pixels. */
    public int imageSize() {
        if (studies.isEmpty()) {
            throw new LovtException(description + ": no study");
        }
        return studies.get(0).size();
    }

    /** What the data is, for messages. */
    public String description() {
        return description;
    }

    List<GroundedStudy> studies() {
        return studies;
    }

    /** The kinds of finding, in the order results list them. */
    List<String> kinds() {
        return kinds;
    }

    @Override
    public String toString() {
        return description + " (" + studies.size() + " studies)";
    }
}
