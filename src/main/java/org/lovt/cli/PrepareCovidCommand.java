package org.lovt.cli;

import org.lovt.data.datasets.prepare.DatasetPreparer;
import picocli.CommandLine.Command;

/** {@code lovt prepare covid SRC_DIR}: see {@link org.lovt.data.datasets.covid.CovidRuralPreparer}. */
@Command(name = "covid", mixinStandardHelpOptions = true,
        description = "COVID Rural (covid_rural_annot: jpgs/*.jpg, pngs_masks/*.png): equalised JPEG images, opacity masks.")
final class PrepareCovidCommand extends PrepareDatasetCommand {
    @Override
    DatasetPreparer preparer() {
        return new org.lovt.data.datasets.covid.CovidRuralPreparer();
    }
}
