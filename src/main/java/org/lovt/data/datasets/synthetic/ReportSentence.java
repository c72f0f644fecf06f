package org.lovt.data.datasets.synthetic;

import java.util.Objects;

/**
 * One report sentence and what it is about.
 *
 * @param text    the sentence, capitalised and ending with a full stop
 * @param finding index into the sample's findings of the finding this sentence describes, or -1 for normal,
 *                negative and global statements ("No pleural effusion.", "Heart size is normal.")
 * @param topic   what it talks about: a {@link FindingType#key()} (for finding sentences and for negative
 *                statements about an absent type), or {@code heart}, {@code mediastinum}, {@code pneumothorax},
 *                {@code edema}, {@code bones}, {@code lungs}, {@code impression}
 */
public record ReportSentence(String text, int finding, String topic) {
    public ReportSentence {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(topic, "topic");
        if (finding < -1) {
            throw new IllegalArgumentException("finding index must be >= -1, got " + finding);
        }
    }
}
