package org.lovt.data.image;

import java.io.DataInputStream;
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
 * <p>File format: magic {@code LVTC}, version, full width, full height, stored width, stored height (big-endian
 * ints), then the pixels deflated (level 1: about 1 ms to inflate a 512 px image).
 */
public final class ImageCache implements ScanImageSource {
    private static final int MAGIC = 0x4C565443; // "LVTC"
    private static final int VERSION = 1;

    private final Path dir;
    private final int shortSide;
    private final ScanImageSource decoder;

    /** A cache in {@code dir} (created on first write) of copies whose shorter side is {@code shortSide}. */
    public ImageCache(Path dir, int shortSide) {
        this(dir, shortSide, ScanImageSource.decoding());
    }

    /** As above, with the source used on a miss (for tests). */
    public ImageCache(Path dir, int shortSide, ScanImageSource decoder) {
        if (shortSide < 1) {
            throw new LovtException("cache short side must be positive, got " + shortSide);
        }
        this.dir = dir;
        this.shortSide = shortSide;
        this.decoder = decoder;
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
        ScanImage full = decoder.load(path);
        ScanImage reduced = reduce(full.pixels(), shortSide);
        try {
            AtomicFiles.write(entry, out -> write(reduced, out));
        } catch (IOException e) {
            throw new LovtException("cannot write image cache entry " + entry + " for " + path + ": " + e, e);
        }
        return reduced;
    }

    /** The stored copy of a full-resolution image: shorter side {@code shortSide}, aspect ratio kept. */
    public static ScanImage reduce(GrayImage full, int shortSide) {
        int w = full.width();
        int h = full.height();
        int s = Math.min(w, h);
        if (s <= shortSide) {
            return ScanImage.of(full);
        }
        int nw = w <= h ? shortSide : (int) Math.round((double) w * shortSide / h);
        int nh = w <= h ? (int) Math.round((double) h * shortSide / w) : shortSide;
        return new ScanImage(PilResize.resize(full, nw, nh), w, h);
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
                + shortSide + "\u0000" + VERSION;
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
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return null; // not ours or an older format: rebuilt and overwritten
            }
            int fw = in.readInt();
            int fh = in.readInt();
            int w = in.readInt();
            int h = in.readInt();
            byte[] px = new byte[Math.multiplyExact(w, h)];
            Inflater inf = new Inflater();
            try {
                inf.setInput(bytes, 24, bytes.length - 24);
                int n = inf.inflate(px);
                if (n != px.length || !inf.finished()) {
                    return null; // damaged by something outside this class: rebuilt and overwritten
                }
            } finally {
                inf.end();
            }
            return new ScanImage(new GrayImage(w, h, px), fw, fh);
        } catch (IOException | DataFormatException | LovtException | ArithmeticException e) {
            return null; // damaged entry: rebuilt and overwritten
        }
    }

    private static void write(ScanImage img, java.io.OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(img.fullWidth());
        out.writeInt(img.fullHeight());
        out.writeInt(img.pixels().width());
        out.writeInt(img.pixels().height());
        Deflater def = new Deflater(1);
        try {
            DeflaterOutputStream z = new DeflaterOutputStream(out, def, 1 << 16);
            z.write(img.pixels().pixels());
            z.finish();
        } finally {
            def.end();
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
