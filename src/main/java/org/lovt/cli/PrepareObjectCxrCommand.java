package org.lovt.cli;

import org.lovt.data.datasets.objectcxr.ObjectCxrPreparer;
import org.lovt.data.datasets.prepare.DatasetPreparer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lovt prepare object-cxr SRC_DIR}: see {@link ObjectCxrPreparer}. */
@Command(name = "object-cxr", mixinStandardHelpOptions = true,
        description = "Object-CXR (input/{train,dev}.csv, input/{train,dev}/*.jpg): equalised JPEG images, box and "
                + "polygon masks, detection CSVs. Reproduces the original's swapped box width/height and transposed "
                + "polygon masks unless --fix-quirks.")
final class PrepareObjectCxrCommand extends PrepareDatasetCommand {
    @CommandLine.Option(names = "--fix-quirks", description = "Write boxes as x;y;w;h and polygons untransposed "
            + "(the original swaps w/h and transposes polygon masks; spec §8 item 5).")
    boolean fix;

    @Override
    DatasetPreparer preparer() {
        return new ObjectCxrPreparer();
    }

    @Override
    boolean fixQuirks() {
        return fix;
    }
}
