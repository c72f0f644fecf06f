package org.lovt.cli;

import org.lovt.data.datasets.nih.NihCxrPreparer;
import org.lovt.data.datasets.prepare.DatasetPreparer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lovt prepare nih SRC_DIR}: see {@link NihCxrPreparer}. */
@Command(name = "nih", mixinStandardHelpOptions = true,
        description = "NIH ChestX-ray14 boxes (BBox_List_2017.csv, Data_Entry_2017_v2020.csv, test_list.txt, "
                + "images/images_NN/images/*.png): equalised PNG images, one mask per class, detection CSVs.")
final class PrepareNihCommand extends PrepareDatasetCommand {
    @CommandLine.Option(names = "--no-findings", paramLabel = "N", defaultValue = "100",
            description = "'No Finding' test-list images added to the annotated ones (default: ${DEFAULT-VALUE}).")
    int noFindings;

    @Override
    DatasetPreparer preparer() {
        return new NihCxrPreparer(noFindings);
    }
}
