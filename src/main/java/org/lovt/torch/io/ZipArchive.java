package org.lovt.torch.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The central directory of a zip archive, read directly from the file so that stored (uncompressed) records can be
 * handed out as slices of the file mapping.
 *
 * <p>{@link java.util.zip.ZipFile} cannot do that: it only offers streams, which means a copy of every tensor, and
 * it hides where a record's bytes start. {@code torch.save} writes every record stored and 64-byte aligned (padding
 * lives in an extra field of the local header) with the sizes in a trailing data descriptor, so the offsets have to
 * come from the central directory and the local header's own name and extra lengths. Deflated records (archives
 * re-zipped by other tools) are inflated into memory, with their declared size checked against the compression
 * limit of deflate before anything is allocated.
 */
final class ZipArchive {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    /** Deflate cannot compress better than about 1032:1; a larger declared ratio is a lie (or a zip bomb). */
    private static final long MAX_DEFLATE_RATIO = 1100;

    /** One record of the archive, as the central directory describes it. */
    record Entry(String name, int method, int flags, long crc, long compressedSize, long size, long localOffset) {}

    private final FileSource file;
    private final Map<String, Entry> entries;

    private ZipArchive(FileSource file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Whether the file starts like a zip archive (a local file header). */
    static boolean looksLikeZip(FileSource file) {
        return file.size() >= 4 && le32(file.read(0, 4, "zip signature"), 0) == LOCAL_SIG;
    }

    /** Parses the central directory; every structural inconsistency raises {@link CheckpointFormatException}. */
    static ZipArchive open(FileSource file) {
        long size = file.size();
        if (size < EOCD_SIZE) {
            throw fail(file, "too short to be a zip archive (" + size + " bytes)");
        }
        int tailLen = (int) Math.min(size, EOCD_SIZE + 0xFFFFL);
        long tailStart = size - tailLen;
        byte[] tail = file.read(tailStart, tailLen, "end of central directory");
        int eocd = -1;
        for (int i = tailLen - EOCD_SIZE; i >= 0; i--) {
            // The comment length must reach exactly to the end of the file; otherwise these four bytes are data
            // that happens to look like the signature.
            if (le32(tail, i) == EOCD_SIG && i + EOCD_SIZE + le16(tail, i + 20) == tailLen) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw fail(file, "no zip end-of-central-directory record: the archive is truncated or not a zip file");
        }
        long entryCount = le16(tail, eocd + 10);
        long cdSize = le32u(tail, eocd + 12);
        long cdOffset = le32u(tail, eocd + 16);
        long eocdPos = tailStart + eocd;
        long cdEnd = eocdPos;
        if (entryCount == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            // ZIP64 (torch.save writes it for files above 4 GiB): a locator just before the classic record points
            // at the 64-bit end record, which holds the real values.
            if (eocdPos < 20) {
                throw fail(file, "zip64 archive without its end-of-central-directory locator");
            }
            byte[] loc = file.read(eocdPos - 20, 20, "zip64 end-of-central-directory locator");
            if (le32(loc, 0) != ZIP64_LOCATOR_SIG) {
                throw fail(file, "zip64 archive without its end-of-central-directory locator");
            }
            long z64Pos = le64(loc, 8);
            if (z64Pos < 0 || z64Pos > eocdPos - 20 - 56) {
                throw fail(file, "zip64 end-of-central-directory record offset " + z64Pos + " is out of range");
            }
            byte[] z64 = file.read(z64Pos, 56, "zip64 end-of-central-directory record");
            if (le32(z64, 0) != ZIP64_EOCD_SIG) {
                throw fail(file, "bad zip64 end-of-central-directory record signature");
            }
            entryCount = le64(z64, 32);
            cdSize = le64(z64, 40);
            cdOffset = le64(z64, 48);
            cdEnd = z64Pos;
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > cdEnd || cdSize > cdEnd - cdOffset) {
            throw fail(file, "central directory (offset " + cdOffset + ", " + cdSize
                    + " bytes) does not fit in the file: the archive is truncated or corrupt");
        }
        if (cdSize > Integer.MAX_VALUE || entryCount < 0 || entryCount > cdSize / CENTRAL_SIZE) {
            throw fail(file, "central directory claims " + entryCount + " entries in " + cdSize + " bytes");
        }
        byte[] cd = file.read(cdOffset, (int) cdSize, "central directory");
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < entryCount; i++) {
            if (p + CENTRAL_SIZE > cd.length || le32(cd, p) != CENTRAL_SIG) {
                throw fail(file, "central directory entry " + i + " is malformed");
            }
            int flags = le16(cd, p + 8);
            int method = le16(cd, p + 10);
            long crc = le32u(cd, p + 16);
            long csize = le32u(cd, p + 20);
            long usize = le32u(cd, p + 24);
            int nameLen = le16(cd, p + 28);
            int extraLen = le16(cd, p + 30);
            int commentLen = le16(cd, p + 32);
            long localOffset = le32u(cd, p + 42);
            int nameStart = p + CENTRAL_SIZE;
            int extraStart = nameStart + nameLen;
            int next = extraStart + extraLen + commentLen;
            if (next > cd.length) {
                throw fail(file, "central directory entry " + i + " runs past the directory");
            }
            String name = new String(cd, nameStart, nameLen, StandardCharsets.UTF_8);
            if (usize == 0xFFFFFFFFL || csize == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
                long[] z = zip64Extra(file, name, cd, extraStart, extraLen, usize == 0xFFFFFFFFL,
                        csize == 0xFFFFFFFFL, localOffset == 0xFFFFFFFFL);
                usize = z[0] >= 0 ? z[0] : usize;
                csize = z[1] >= 0 ? z[1] : csize;
                localOffset = z[2] >= 0 ? z[2] : localOffset;
            }
            if (usize < 0 || csize < 0 || localOffset < 0) {
                throw fail(file, "record '" + name + "' has a negative size or offset");
            }
            if (entries.put(name, new Entry(name, method, flags, crc, csize, usize, localOffset)) != null) {
                // Two records with one name would let the archive mean different things to different readers.
                throw fail(file, "duplicate record '" + name + "' in the archive");
            }
            p = next;
        }
        return new ZipArchive(file, Collections.unmodifiableMap(entries));
    }

    /** Reads the ZIP64 extended-information extra field; -1 where a value is not present. */
    private static long[] zip64Extra(FileSource file, String name, byte[] cd, int start, int len,
            boolean wantSize, boolean wantCsize, boolean wantOffset) {
        int p = start;
        int end = start + len;
        while (p + 4 <= end) {
            int id = le16(cd, p);
            int dataLen = le16(cd, p + 2);
            int dataStart = p + 4;
            if (dataStart + dataLen > end) {
                break;
            }
            if (id == 0x0001) {
                long[] out = {-1, -1, -1};
                int q = dataStart;
                int qEnd = dataStart + dataLen;
                // Values appear in this fixed order, and only those whose classic field is 0xFFFFFFFF.
                if (wantSize) {
                    out[0] = q + 8 <= qEnd ? le64(cd, q) : -2;
                    q += 8;
                }
                if (wantCsize) {
                    out[1] = q + 8 <= qEnd ? le64(cd, q) : -2;
                    q += 8;
                }
                if (wantOffset) {
                    out[2] = q + 8 <= qEnd ? le64(cd, q) : -2;
                }
                for (long v : out) {
                    if (v < -1) {
                        throw fail(file, "record '" + name + "' has a truncated zip64 extra field");
                    }
                }
                return out;
            }
            p = dataStart + dataLen;
        }
        throw fail(file, "record '" + name + "' needs a zip64 extra field but has none");
    }

    /** All records by name, in central-directory order. */
    Map<String, Entry> entries() {
        return entries;
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    /**
     * The bytes of a record: a zero-copy slice for stored records, an inflated copy for deflated ones. With
     * {@code verifyCrc} the CRC-32 from the central directory is checked, which catches corrupted tensor bytes that
     * would otherwise load as a silently wrong tensor.
     */
    ByteBuffer data(Entry e, boolean verifyCrc) {
        if ((e.flags() & 1) != 0) {
            throw fail(file, "record '" + e.name() + "' is encrypted");
        }
        long start = dataStart(e);
        ByteBuffer out;
        if (e.method() == 0) {
            if (e.compressedSize() != e.size()) {
                throw fail(file, "stored record '" + e.name() + "' has compressed size " + e.compressedSize()
                        + " but size " + e.size());
            }
            out = file.slice(start, e.size(), "record '" + e.name() + "'");
        } else if (e.method() == 8) {
            out = inflate(e, file.slice(start, e.compressedSize(), "record '" + e.name() + "'"));
        } else {
            throw fail(file, "record '" + e.name() + "' uses zip compression method " + e.method()
                    + "; only stored (0) and deflate (8) are supported");
        }
        if (verifyCrc) {
            CRC32 crc = new CRC32();
            crc.update(out.duplicate());
            if (crc.getValue() != e.crc()) {
                throw fail(file, "record '" + e.name() + "' fails its CRC-32 check: the file is corrupt");
            }
        }
        return out.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The bytes of a small record (a pickle, a version string) as an array. */
    byte[] bytes(Entry e, boolean verifyCrc) {
        ByteBuffer b = data(e, verifyCrc);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private long dataStart(Entry e) {
        byte[] lh = file.read(e.localOffset(), LOCAL_SIZE, "local header of '" + e.name() + "'");
        if (le32(lh, 0) != LOCAL_SIG) {
            throw fail(file, "record '" + e.name() + "' has no local header at offset " + e.localOffset());
        }
        int nameLen = le16(lh, 26);
        int extraLen = le16(lh, 28);
        byte[] localName = file.read(e.localOffset() + LOCAL_SIZE, nameLen, "local name of '" + e.name() + "'");
        if (!new String(localName, StandardCharsets.UTF_8).equals(e.name())) {
            throw fail(file, "record '" + e.name() + "' has a different name in its local header");
        }
        return e.localOffset() + LOCAL_SIZE + nameLen + extraLen;
    }

    private ByteBuffer inflate(Entry e, ByteBuffer compressed) {
        long limit = compressed.remaining() * MAX_DEFLATE_RATIO + 1024;
        if (e.size() > limit || e.size() > Integer.MAX_VALUE - 16) {
            throw fail(file, "deflated record '" + e.name() + "' claims " + e.size() + " bytes from "
                    + compressed.remaining() + " compressed bytes");
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) e.size());
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(compressed);
            ByteBuffer overflow = ByteBuffer.allocate(1);
            while (!inf.finished()) {
                // Once the declared size is reached, inflate into a one-byte scratch buffer: the stream may still
                // have to consume its end-of-block code, and any actual byte there means the size was a lie.
                ByteBuffer target = out.hasRemaining() ? out : overflow;
                int n = inf.inflate(target);
                if (overflow.position() > 0) {
                    throw fail(file, "deflated record '" + e.name() + "' inflates to more than its declared "
                            + e.size() + " bytes");
                }
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
            }
            if (out.hasRemaining() || !inf.finished()) {
                throw fail(file, "deflated record '" + e.name() + "' does not inflate to its declared "
                        + e.size() + " bytes");
            }
        } catch (DataFormatException ex) {
            throw new CheckpointFormatException(file.path(), "deflated record '" + e.name() + "' is corrupt: "
                    + ex.getMessage(), ex);
        } finally {
            inf.end();
        }
        return out.flip();
    }

    private static CheckpointFormatException fail(FileSource file, String problem) {
        return new CheckpointFormatException(file.path(), problem);
    }

    static int le16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    static int le32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    static long le32u(byte[] b, int p) {
        return le32(b, p) & 0xFFFFFFFFL;
    }

    static long le64(byte[] b, int p) {
        return le32u(b, p) | le32u(b, p + 4) << 32;
    }
}
