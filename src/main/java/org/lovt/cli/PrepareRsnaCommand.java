package org.lovt.cli;

import org.lovt.data.datasets.prepare.DatasetPreparer;
import picocli.CommandLine.Command;

/** {@code lovt prepare rsna SRC_DIR}: see {@link org.lovt.data.datasets.rsna.RsnaPreparer}. */
@Command(name = "rsna", mixinStandardHelpOptions = true,
        description = "RSNA Pneumonia Detection (Kaggle stage 2: stage_2_train_labels.csv, stage_2_train_images/*.dcm): PNG images, box masks, detection CSVs.")
final class PrepareRsnaCommand extends PrepareDatasetCommand {
    @Override
    DatasetPreparer preparer() {
        return new org.lovt.data.datasets.rsna.RsnaPreparer();
    }
}
