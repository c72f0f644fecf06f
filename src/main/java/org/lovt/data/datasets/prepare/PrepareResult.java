package org.lovt.data.datasets.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a preparation produced.
 *
 * @param out             the prepared folder
 * @param splitSizes      samples per split
 * @param skipped         samples left out, with the reason
 * @param warnings        samples kept with a change or doubt
 * @param seconds         wall time of the image processing
 * @param imagesPerSecond images processed per second (all threads together)
 */
public record PrepareResult(Path out, Map<SplitName, Integer> splitSizes, List<PrepareReport.Entry> skipped,
                            List<PrepareReport.Entry> warnings, double seconds, double imagesPerSecond) {}
