package org.lovt.data.datasets.downstream;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.lovt.LovtException;

/**
 * Where {@code lovt prepare <dataset>} puts the files of each downstream data set (spec lovt-data-eval.md §2.1-§2.5;
 * the preparers in {@code org.lovt.data.datasets.{rsna,covid,siim,objectcxr,nih}}): image folder and extension, mask
 * folder and extension, the segmentation targets in the original's order, and whether the split CSVs are detection
 * CSVs ({@code ID,boxes,classes}) or id lists.
 */
public enum DownstreamFormat {
    /** RSNA Pneumonia: PNG images (no equalisation), box masks as GIF, detection CSVs. */
    RSNA("rsna", "stage_2_train_images_processed", ".png", "stage_2_train_masks", ".gif", List.of("opacity"), true,
            false),
    /** COVID Rural: JPEG images, the source's 0/1 PNG masks, id lists. */
    COVID("covid", "processed_images", ".jpg", "pngs_masks", ".png", List.of("opacity"), false, true),
    /** SIIM-ACR Pneumothorax: PNG images, RLE masks as GIF, id lists. */
    SIIM("siim", "processed_images", ".png", "segmentation_masks", ".gif", List.of("pneumothorax"), false, true),
    /** Object-CXR: JPEG images, shape masks as GIF, detection CSVs (width and height swapped unless fixed). */
    OBJECT_CXR("object-cxr", "images_processed", ".jpg", "segmentation_masks", ".gif", List.of("foreign_object"),
            true, true),
    /** NIH ChestX-ray14 boxes: PNG images, one GIF mask per class in a folder per class, detection CSVs. */
    NIH("nih", "processed_images", ".png", "segmentation_masks", ".gif", List.of("Atelectasis", "Cardiomegaly",
            "Effusion", "Infiltrate", "Mass", "Nodule", "Pneumonia", "Pneumothorax"), true, true);

    private final String key;
    private final String imageFolder;
    private final String imageExtension;
    private final String maskFolder;
    private final String maskExtension;
    private final List<String> targets;
    private final boolean boxes;
    private final boolean equalized;

    DownstreamFormat(String key, String imageFolder, String imageExtension, String maskFolder, String maskExtension,
                     List<String> targets, boolean boxes, boolean equalized) {
        this.key = key;
        this.imageFolder = imageFolder;
        this.imageExtension = imageExtension;
        this.maskFolder = maskFolder;
        this.maskExtension = maskExtension;
        this.targets = targets;
        this.boxes = boxes;
        this.equalized = equalized;
    }

    /** The data set's name: {@code preparation.json}'s {@code dataset} and the {@code lovt prepare} subcommand. */
    public String key() {
        return key;
    }

    /** The format of the data set named {@code key}. @throws LovtException naming the known ones */
    public static DownstreamFormat of(String key) {
        for (DownstreamFormat f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new LovtException("unknown downstream data set '" + key + "' (known: " + keys() + ")");
    }

    /** The names of all downstream data sets, comma-separated. */
    public static String keys() {
        return Arrays.stream(values()).map(DownstreamFormat::key).collect(Collectors.joining(", "));
    }

    /** The image folder, relative to the prepared folder. */
    public String imageFolder() {
        return imageFolder;
    }

    /** {@code .png} or {@code .jpg}. */
    public String imageExtension() {
        return imageExtension;
    }

    /** The mask folder, relative to the prepared folder (NIH: one sub-folder per target inside it). */
    public String maskFolder() {
        return maskFolder;
    }

    /** {@code .gif} (binary GIF, palette indices 0/1) or {@code .png} (COVID's 0/1 masks). */
    public String maskExtension() {
        return maskExtension;
    }

    /** The segmentation targets, in the original's order. */
    public List<String> targets() {
        return targets;
    }

    /** Whether the split CSVs hold boxes ({@code ID,boxes,classes}). */
    public boolean hasBoxes() {
        return boxes;
    }

    /** Whether the preparation histogram-equalises the images (all but RSNA). */
    public boolean equalized() {
        return equalized;
    }

    /** Whether each target's masks lie in a folder of their own (NIH). */
    public boolean maskFolderPerTarget() {
        return targets.size() > 1;
    }

    /** The image file of {@code id} in the prepared folder {@code dir}. */
    public Path imageFile(Path dir, String id) {
        return dir.resolve(imageFolder).resolve(id + imageExtension);
    }

    /** The folder holding the masks of target {@code t}. */
    public Path maskFolder(Path dir, int t) {
        Path m = dir.resolve(maskFolder);
        return maskFolderPerTarget() ? m.resolve(targets.get(t)) : m;
    }

    /** The mask file of target {@code t} of {@code id}. */
    public Path maskFile(Path dir, int t, String id) {
        return maskFolder(dir, t).resolve(id + maskExtension);
    }
}
