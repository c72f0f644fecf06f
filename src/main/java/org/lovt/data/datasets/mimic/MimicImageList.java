package org.lovt.data.datasets.mimic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lovt.LovtException;
import org.lovt.data.Dataset;
import org.lovt.data.DatasetConfig;
import org.lovt.data.ScanReportSample;
import org.lovt.util.Csv;

/**
 * One split of the MIMIC-CXR image list of the image-only baselines ({@code <split>/image_list.csv}, spec
 * lovt-data-eval §1.7; the original's {@code MimicCxrImageDataset}): one sample per frontal image, with the five U-ones
 * CheXpert labels of its study. A subset keeps the first {@code round(f · N)} <b>rows</b> (images), as the original.
 */
public final class MimicImageList implements Dataset<MimicImageList.Image> {
    /** The columns read (the file has {@code patient_id} and {@code study_id} as well). */
    static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(List.of("dicom_id", "img_file"));
        c.addAll(ScanReportSample.CHEXPERT_LABELS);
        COLUMNS = List.copyOf(c);
    }

    /**
     * One image.
     *
     * @param id     the DICOM id
     * @param file   the JPEG
     * @param labels the study's five binary CheXpert labels (0/1), in {@link ScanReportSample#CHEXPERT_LABELS} order
     */
    public record Image(String id, Path file, float[] labels) {}

    private final List<Image> images;
    private final double pixelMean;
    private final double pixelStd;

    private MimicImageList(List<Image> images, double pixelMean, double pixelStd) {
        this.images = images;
        this.pixelMean = pixelMean;
        this.pixelStd = pixelStd;
    }

    /**
     * Opens a split.
     *
     * @param root      the prepared dataset folder ({@code lovt prepare mimic-cxr})
     * @param split     {@code train}, {@code validation} or {@code test}
     * @param subset    fraction in (0, 1] of the first rows to keep, or null for all
     * @param imageRoot the MIMIC-CXR-JPG {@code files/} folder, or null for {@code root/images}
     */
    public static MimicImageList open(Path root, String split, Double subset, Path imageRoot) {
        if (!MimicCxrDataset.SPLITS.contains(split)) {
            throw new LovtException("unknown MIMIC-CXR split '" + split + "' (expected one of "
                    + MimicCxrDataset.SPLITS + ")");
        }
        if (subset != null && !(subset > 0 && subset <= 1)) {
            throw new LovtException("subset must be a fraction in (0, 1], got " + subset);
        }
        double[] stats = MimicCxrDataset.scanStatistics(root, split);
        Path list = root.resolve(split).resolve(MimicCxrDataset.IMAGE_LIST_FILE);
        if (!Files.isRegularFile(list)) {
            throw new LovtException(list + ": missing (the image list of the image-only baselines; prepare the data "
                    + "set again with `lovt prepare mimic-cxr`)");
        }
        Path images = (imageRoot != null ? imageRoot : root.resolve(MimicCxrDataset.IMAGES_LINK)).toAbsolutePath();
        if (!Files.isDirectory(images)) {
            throw new LovtException(images + ": image folder not found (pass the MIMIC-CXR-JPG files/ folder)");
        }
        List<Image> rows = new ArrayList<>();
        Csv.forEachRow(list, COLUMNS, new Csv.Visitor() {
            @Override
            public void row(Csv.Row r) {
                String file = r.get(1);
                Path p = Path.of(file);
                if (file.isBlank() || p.isAbsolute() || p.normalize().startsWith("..")) {
                    throw new LovtException(list + ":" + r.line() + ": img_file '" + file + "' is not a path inside "
                            + "the image folder");
                }
                float[] labels = new float[ScanReportSample.CHEXPERT_LABELS.size()];
                for (int k = 0; k < labels.length; k++) {
                    String v = r.get(2 + k).strip();
                    try {
                        double d = v.isEmpty() ? 0 : Double.parseDouble(v);
                        if (d != 0 && d != 1) {
                            throw new NumberFormatException();
                        }
                        labels[k] = (float) d;
                    } catch (NumberFormatException e) {
                        throw new LovtException(list + ":" + r.line() + ": label "
                                + ScanReportSample.CHEXPERT_LABELS.get(k) + " is '" + v + "', expected 0 or 1");
                    }
                }
                rows.add(new Image(r.get(0), images.resolve(p.normalize()), labels));
            }

            @Override
            public void malformed(int line, String reason) {
                throw new LovtException(list + ":" + line + ": " + reason);
            }
        });
        int n = subset == null ? rows.size() : MimicCxrDataset.subsetSize(rows.size(), subset);
        return new MimicImageList(List.copyOf(rows.subList(0, n)), stats[0], stats[1]);
    }

    /** The split of a dataset config ({@code configs/dataset/mimic-cxr-img_*.yaml}): its path and subset. */
    public static MimicImageList fromConfig(DatasetConfig config, String split) {
        return open(Path.of(config.path()), split, MimicCxrDataset.subset(config, split), null);
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public Image get(int index) {
        return images.get(index);
    }

    /** The split's {@code scan.pixel_mean} (of the full split). */
    public double pixelMean() {
        return pixelMean;
    }

    /** The split's {@code scan.pixel_std}. */
    public double pixelStd() {
        return pixelStd;
    }
}
