package org.lovt.cli;

import org.lovt.data.datasets.prepare.DatasetPreparer;
import picocli.CommandLine.Command;

/** {@code lovt prepare siim SRC_DIR}: see {@link org.lovt.data.datasets.siim.SiimPreparer}. */
@Command(name = "siim", mixinStandardHelpOptions = true,
        description = "SIIM-ACR Pneumothorax (train-rle.csv, dicom-images-train/*/*/*.dcm): equalised PNG images, RLE masks.")
final class PrepareSiimCommand extends PrepareDatasetCommand {
    @Override
    DatasetPreparer preparer() {
        return new org.lovt.data.datasets.siim.SiimPreparer();
    }
}
