package org.lovt.data.image;

import org.lovt.LovtException;

/**
 * A decoded scan together with the size of the file it came from.
 *
 * <p>Normally {@code pixels} is the full-resolution image and the full size equals its size. An {@link ImageCache}
 * hands out a reduced copy instead; the transform then draws every random geometry (crop box, padding) in
 * full-resolution coordinates and maps it onto the reduced pixels, so that the same seed selects the same region
 * with or without the cache and only the resampling differs.
 *
 * @param pixels     the stored pixels (full resolution or reduced)
 * @param fullWidth  width of the original file's image
 * @param fullHeight height of the original file's image
 */
public record ScanImage(GrayImage pixels, int fullWidth, int fullHeight) {

    public ScanImage {
        if (pixels == null) {
            throw new LovtException("pixels are required");
        }
        if (fullWidth < 1 || fullHeight < 1) {
            throw new LovtException("full size must be positive, got " + fullWidth + " x " + fullHeight);
        }
    }

    /** A full-resolution scan. */
    public static ScanImage of(GrayImage full) {
        return new ScanImage(full, full.width(), full.height());
    }

    /** Whether {@link #pixels} is the image at its original size. */
    public boolean isFullResolution() {
        return pixels.width() == fullWidth && pixels.height() == fullHeight;
    }

    /** Stored width per full-resolution pixel. */
    public double scaleX() {
        return (double) pixels.width() / fullWidth;
    }

    /** Stored height per full-resolution pixel. */
    public double scaleY() {
        return (double) pixels.height() / fullHeight;
    }
}
