package org.lovt.data.image;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

import org.lovt.LovtException;
import org.lovt.util.AtomicFiles;

/**
 * An on-disk cache of reduced scans, so that the full-resolution JPEG decode (tens of milliseconds for a
 * 2500×3000 MIMIC-CXR image) is paid once per file instead of once per epoch. Off unless a run configures it.
 *
 * <p>Each entry is the source image resized with Pillow's anti-aliased bilinear ({@link PilResize}) so that its
 * shorter side is {@code shortSide} (images already that small are stored as they are), plus the original size.
 * The key is SHA-256 of (absolute source path, modification time, file size, {@code shortSide}, format version), so
 * a changed or replaced file gets a new entry; stale entries are never read (and can be deleted at any time).
 * Entries are written atomically (temporary file, then rename), so concurrent workers and interrupted runs never
 * see a partial entry; two workers missing the same key both write the same bytes. An entry that is unreadable
 * anyway (damaged on disk) is treated as a miss and rewritten.
 *
 * <p><b>Effect on outputs.</b> The transform draws crop boxes and padding in full-resolution coordinates
 * ({@link ScanImage}), so the same seed selects the same region with or without the cache; only the resampling
 * differs (two anti-aliased resizes instead of one, and the region edges fall between stored pixels). Measured on
 * the 137 radiographs of the developers' full sample (mostly 1024 px long side; 125 of them reduced) with {@code shortSide} 448, 224×224
 * uint8 outputs ({@code ImageCacheTest}): validation mean |Δ| 0.36 gray levels per image (worst image 0.97), training
 * chain 0.10 (worst image 0.38); single pixels at hard edges (padding border, burned-in text) differ by up to 48
 * (validation) and 31 (training) levels. With the cache the outputs are therefore close to, but not bit-identical
 * with, the uncached pipeline (the validation padding is also rounded to whole stored pixels); a run should use one or
 * the other throughout. {@code shortSide} must be at least the output size divided by the smallest crop side
 * fraction (≈ 224 / 0.67 ≈ 336 for the defaults) for the crops not to be upsampled; 448 or 512 are sensible.
 *
 * <p><b>Reduced-resolution JPEG fill</b> ({@link #withReducedJpegDecode}, off by default): a miss of a JPEG at least
 * twice {@code shortSide} on its shorter side is decoded by libjpeg at 1/2, 1/4 or 1/8 resolution (DCT scaling; the
 * largest factor that keeps {@code shortSide}) and then resized exactly as above. Measured with {@code shortSide} 448
 * ({@code LoaderThroughput}, and the developers' comparison over the 24 sample radiographs): 24 sample images
 * upscaled to MIMIC-CXR-JPG's 2544×3056 and saved at quality 95 fill 2.0–2.2× faster (26–34 → 12.8–15.8 ms per
 * image, one thread; the Huffman decoding is not reduced), the stored copies differ from the exact ones by 0.25
 * gray levels on average (worst image 0.31, worst pixel 23), 224×224 training outputs by 0.07 (worst pixel 4),
 * validation outputs by 0.13; on the sample JPEGs themselves (≤ 1024 px, 9 of 24 reducible by 2) also 0.25 on
 * average, but up to 1.3 for one image and 103 levels on single pixels at burned-in text. Such entries get keys of
 * their own.
 *
 * <p><b>Storage</b> ({@link Storage}): {@code RAW} (the default) stores the pixels as they are, about 240 KB per
 * radiograph at 448 (roughly 90 GB for MIMIC-CXR's 377,110 images), and a hit costs a file read (about 0.05 ms);
 * {@code DEFLATE} stores them deflated at level 1, about 55 % of that on the sample radiographs, but inflating costs
 * about 1 ms per image, which alone is a third of the loader's per-image budget (README "Benchmarks"). A cache folder
 * may hold entries of both kinds: either is read whatever this object writes, so switching never rebuilds anything.
 *
 * <p>File format: magic {@code LVTC}, format (1 = deflated, 2 = raw), full width, full height, stored width, stored
 * height (big-endian ints), then the pixels, row-major.
 */
public final class ImageCache implements ScanImageSource {
    private static final int MAGIC = 0x4C565443; // "LVTC"
    /** Version of the stored content (part of the key): a change here invalidates every entry. */
    private static final int KEY_VERSION = 1;
    private static final int FORMAT_DEFLATE = 1;
    private static final int FORMAT_RAW = 2;
    private static final int HEADER = 24;

    /** How entries are written. */
    public enum Storage {
        /** Uncompressed pixels: fastest reads, about twice the disk of {@link #DEFLATE}. */
        RAW,
        /** Deflated (level 1): about half the disk, about 1 ms more per read of a 448 px radiograph. */
        DEFLATE
    }

    private final Path dir;
    private final int shortSide;
    private final Storage storage;
    private final boolean reducedJpegDecode;
    private final ScanImageSource decoder;

    /** A cache in {@code dir} (created on first write) of copies whose shorter side is {@code shortSide}, raw. */
    public ImageCache(Path dir, int shortSide) {
        this(dir, shortSide, ScanImageSource.decoding());
    }

    /** As above, with the source used on a miss (for tests). */
    public ImageCache(Path dir, int shortSide, ScanImageSource decoder) {
        this(dir, shortSide, Storage.RAW, false, decoder);
    }

    private ImageCache(Path dir, int shortSide, Storage storage, boolean reducedJpegDecode,
                       ScanImageSource decoder) {
        if (shortSide < 1) {
            throw new LovtException("cache short side must be positive, got " + shortSide);
        }
        this.dir = dir;
        this.shortSide = shortSide;
        this.storage = java.util.Objects.requireNonNull(storage, "storage");
        this.reducedJpegDecode = reducedJpegDecode;
        this.decoder = decoder;
    }

    /** This cache writing new entries with the given storage (entries of either storage are always read). */
    public ImageCache withStorage(Storage s) {
        return new ImageCache(dir, shortSide, s, reducedJpegDecode, decoder);
    }

    /**
     * This cache filling misses of large JPEGs with libjpeg's reduced-resolution decode
     * ({@link ImageDecoder#decodeReduced}) before the exact resize: several times faster, different pixels (see the
     * class comment); its entries have keys of their own, so they never mix with exactly decoded ones.
     */
    public ImageCache withReducedJpegDecode(boolean on) {
        return new ImageCache(dir, shortSide, storage, on, decoder);
    }

    /** How this object writes new entries. */
    public Storage storage() {
        return storage;
    }

    /** Whether misses of large JPEGs are decoded at reduced resolution. */
    public boolean reducedJpegDecode() {
        return reducedJpegDecode;
    }

    /** The cache folder. */
    public Path dir() {
        return dir;
    }

    /** Shorter side of the stored copies. */
    public int shortSide() {
        return shortSide;
    }

    @Override
    public ScanImage load(Path path) {
        Path entry = entryFor(path);
        ScanImage cached = read(entry);
        if (cached != null) {
            return cached;
        }
        ScanImage source = reducedJpegDecode ? ImageDecoder.decodeReduced(path, shortSide) : decoder.load(path);
        ScanImage reduced = reduce(source, shortSide);
        try {
            AtomicFiles.write(entry, out -> write(reduced, storage, out));
        } catch (IOException e) {
            throw new LovtException("cannot write image cache entry " + entry + " for " + path + ": " + e, e);
        }
        return reduced;
    }

    /** The stored copy of a full-resolution image: shorter side {@code shortSide}, aspect ratio kept. */
    public static ScanImage reduce(GrayImage full, int shortSide) {
        return reduce(ScanImage.of(full), shortSide);
    }

    /**
     * The stored copy of a scan: shorter side {@code shortSide} relative to its full size, aspect ratio kept,
     * resized from whatever pixels it holds (full resolution, or a reduced-resolution decode).
     */
    static ScanImage reduce(ScanImage src, int shortSide) {
        int w = src.fullWidth();
        int h = src.fullHeight();
        int s = Math.min(w, h);
        if (s <= shortSide && src.isFullResolution()) {
            return src;
        }
        int nw = w <= h ? Math.min(w, shortSide) : (int) Math.round((double) w * Math.min(s, shortSide) / h);
        int nh = w <= h ? (int) Math.round((double) h * Math.min(s, shortSide) / w) : Math.min(h, shortSide);
        return new ScanImage(PilResize.resize(src.pixels(), nw, nh), w, h);
    }

    /** The entry file of a source (whether or not it exists yet). */
    public Path entryFor(Path source) {
        Path abs = source.toAbsolutePath().normalize();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(abs, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new LovtException("cannot read image " + source + ": no such file", e);
        } catch (IOException e) {
            throw new LovtException("cannot read image " + source + ": " + e, e);
        }
        String key = abs + "\u0000" + attrs.lastModifiedTime().toMillis() + "\u0000" + attrs.size() + "\u0000"
                + shortSide + "\u0000" + KEY_VERSION + (reducedJpegDecode ? "\u0000reduced-jpeg" : "");
        String hex = sha256(key);
        return dir.resolve(hex.substring(0, 2)).resolve(hex + ".lvtc");
    }

    private static ScanImage read(Path entry) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(entry);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new LovtException("cannot read image cache entry " + entry + ": " + e, e);
        }
        try {
            if (bytes.length < HEADER) {
                return null; // damaged: rebuilt and overwritten
            }
            java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(bytes); // big-endian, as written
            int format = head.getInt(4);
            if (head.getInt(0) != MAGIC || (format != FORMAT_DEFLATE && format != FORMAT_RAW)) {
                return null; // not ours or an unknown format: rebuilt and overwritten
            }
            int fw = head.getInt(8);
            int fh = head.getInt(12);
            int w = head.getInt(16);
            int h = head.getInt(20);
            if (fw < 1 || fh < 1 || w < 1 || h < 1) {
                return null;
            }
            int n = Math.multiplyExact(w, h);
            byte[] px;
            if (format == FORMAT_RAW) {
                if (bytes.length - HEADER != n) {
                    return null; // truncated or padded: rebuilt and overwritten
                }
                px = java.util.Arrays.copyOfRange(bytes, HEADER, bytes.length);
            } else {
                if (n > 1100L * (bytes.length - HEADER) + 1024) {
                    return null; // more than deflate can expand these bytes to (at most 1032:1): damaged
                }
                px = new byte[n];
                Inflater inf = new Inflater();
                try {
                    inf.setInput(bytes, HEADER, bytes.length - HEADER);
                    if (inf.inflate(px) != n || !inf.finished()) {
                        return null; // damaged by something outside this class: rebuilt and overwritten
                    }
                } finally {
                    inf.end();
                }
            }
            return new ScanImage(new GrayImage(w, h, px), fw, fh);
        } catch (DataFormatException | LovtException | ArithmeticException e) {
            return null; // damaged entry: rebuilt and overwritten
        }
    }

    private static void write(ScanImage img, Storage storage, java.io.OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(MAGIC);
        out.writeInt(storage == Storage.RAW ? FORMAT_RAW : FORMAT_DEFLATE);
        out.writeInt(img.fullWidth());
        out.writeInt(img.fullHeight());
        out.writeInt(img.pixels().width());
        out.writeInt(img.pixels().height());
        if (storage == Storage.RAW) {
            out.write(img.pixels().pixels());
        } else {
            Deflater def = new Deflater(1);
            try {
                DeflaterOutputStream z = new DeflaterOutputStream(out, def, 1 << 16);
                z.write(img.pixels().pixels());
                z.finish();
            } finally {
                def.end();
            }
        }
        out.flush();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
