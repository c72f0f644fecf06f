package org.lovt.data.image;

import java.nio.file.Path;

/**
 * Where the loader gets decoded scans from: {@link #decoding()} decodes the file every time;
 * {@link ImageCache} keeps reduced copies on disk. Implementations are thread-safe and keep to Java memory.
 */
public interface ScanImageSource {

    /** The scan stored at {@code path}; unreadable files raise a {@link org.lovt.LovtException} naming the path. */
    ScanImage load(Path path);

    /** Decodes the file at full resolution on every call. */
    static ScanImageSource decoding() {
        return path -> ScanImage.of(ImageDecoder.decodeGray(path));
    }
}
