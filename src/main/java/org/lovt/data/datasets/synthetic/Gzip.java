package org.lovt.data.datasets.synthetic;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip members shaped like PhysioNet's {@code mimic-cxr-2.0.0-*.csv.gz}: maximum compression, the original file
 * name in the header (FNAME), modification time 0 and OS "unknown", so the bytes depend only on the content.
 * {@link java.util.zip.GZIPOutputStream} cannot write a file name, hence this small writer.
 */
final class Gzip {
    private Gzip() {}

    static byte[] compress(byte[] data, String originalName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        out.write(0x1f);
        out.write(0x8b);
        out.write(8); // deflate
        out.write(8); // FNAME
        out.writeBytes(new byte[] {0, 0, 0, 0}); // MTIME unset
        out.write(2); // XFL: maximum compression
        out.write(255); // OS unknown
        out.writeBytes(originalName.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] buf = new byte[1 << 16];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        writeIntLe(out, (int) crc.getValue());
        writeIntLe(out, data.length);
        return out.toByteArray();
    }

    private static void writeIntLe(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
