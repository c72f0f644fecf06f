package org.lovt.data.datasets.prepare;

import java.nio.file.Path;

/** Turns a downstream data set as published into the prepared layout (one implementation per data set). */
public interface DatasetPreparer {
    /** The data set's name on the command line ({@code rsna}, {@code siim}, ...). */
    String name();

    /**
     * Prepares the data set found in {@code src}.
     *
     * @throws org.lovt.LovtException when the input is unusable as a whole (a missing labels file or column, bad
     *                                 split files, an existing output folder); single bad samples are skipped and
     *                                 reported instead
     */
    PrepareResult prepare(Path src, PrepareOptions options);
}
