package org.lovt.torch.io;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * TEST HELPER ONLY: writes {@code torch.save} files from {@link PickleWriter} object models.
 *
 * <p>The zip layout mirrors PyTorch's writer (miniz via {@code PyTorchStreamWriter}), as seen in the fixtures:
 * records {@code <archive>/data.pkl}, optionally {@code <archive>/byteorder}, {@code <archive>/data/<key>} in order of
 * first use, {@code <archive>/version}; every record stored, its data 64-byte aligned by an {@code FB} padding extra
 * field in the local header, general-purpose flags 0x0808 with zero sizes in the local header and a data descriptor
 * after the data, no extra field in the central directory. Options add what PyTorch writes for huge files (zip64)
 * and what re-zipping tools produce (deflate).
 */
final class TorchSaveWriter {
    private TorchSaveWriter() {}

    /** Variations of the zip container. */
    record ZipOptions(String archive, String byteorder, boolean deflate, boolean zip64, Map<String, byte[]> extra) {
        static ZipOptions torch(String archive) {
            return new ZipOptions(archive, null, false, false, Map.of());
        }

        ZipOptions byteorder(String value) {
            return new ZipOptions(archive, value, deflate, zip64, extra);
        }

        ZipOptions withDeflate() {
            return new ZipOptions(archive, byteorder, true, zip64, extra);
        }

        ZipOptions withZip64() {
            return new ZipOptions(archive, byteorder, deflate, true, extra);
        }

        /** Additional records (relative to the archive folder), e.g. to imitate a TorchScript archive. */
        ZipOptions extra(Map<String, byte[]> records) {
            return new ZipOptions(archive, byteorder, deflate, zip64, records);
        }
    }

    /** A zip checkpoint of {@code root}, like {@code torch.save(root, f)}. */
    static byte[] zip(Object root, ZipOptions opt) {
        PickleWriter w = new PickleWriter(PickleWriter.PidStyle.ZIP);
        byte[] pkl = w.dump(root);
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", pkl);
        if (opt.byteorder() != null) {
            records.put("byteorder", opt.byteorder().getBytes(StandardCharsets.US_ASCII));
        }
        for (PickleWriter.Storage s : w.storages.values()) {
            records.put("data/" + s.key(), s.data());
        }
        records.putAll(opt.extra());
        records.put("version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return zipRecords(opt, records);
    }

    /** A zip archive with exactly these records (names relative to the archive folder). */
    static byte[] zipRecords(ZipOptions opt, Map<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        int count = 0;
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            String name = opt.archive().isEmpty() ? r.getKey() : opt.archive() + "/" + r.getKey();
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            byte[] data = r.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            boolean deflated = opt.deflate() && r.getKey().startsWith("data/");
            byte[] body = deflated ? deflate(data) : data;
            long offset = out.size();
            // Pad with an "FB" extra field so the data starts on a 64-byte boundary, as PyTorch does.
            int headerEnd = (int) (offset + 30 + nameBytes.length + 4);
            int pad = (64 - headerEnd % 64) % 64;
            le32(out, 0x04034b50);
            le16(out, opt.zip64() ? 45 : 20);
            le16(out, 0x0808);
            le16(out, deflated ? 8 : 0);
            le16(out, 0);
            le16(out, 0);
            le32(out, 0);
            le32(out, 0);
            le32(out, 0);
            le16(out, nameBytes.length);
            le16(out, 4 + pad);
            out.writeBytes(nameBytes);
            le16(out, 0x4246);
            le16(out, pad);
            out.writeBytes(new byte[pad]);
            out.writeBytes(body);
            le32(out, 0x08074b50);
            le32(out, (int) crc.getValue());
            if (opt.zip64()) {
                le64(out, body.length);
                le64(out, data.length);
            } else {
                le32(out, body.length);
                le32(out, data.length);
            }
            le32(central, 0x02014b50);
            le16(central, opt.zip64() ? 45 : 20);
            le16(central, opt.zip64() ? 45 : 20);
            le16(central, 0x0808);
            le16(central, deflated ? 8 : 0);
            le16(central, 0);
            le16(central, 0);
            le32(central, (int) crc.getValue());
            le32(central, opt.zip64() ? -1 : body.length);
            le32(central, opt.zip64() ? -1 : data.length);
            le16(central, nameBytes.length);
            le16(central, opt.zip64() ? 28 : 0);
            le16(central, 0);
            le16(central, 0);
            le16(central, 0);
            le32(central, 0);
            le32(central, opt.zip64() ? -1 : (int) offset);
            central.writeBytes(nameBytes);
            if (opt.zip64()) {
                le16(central, 0x0001);
                le16(central, 24);
                le64(central, data.length);
                le64(central, body.length);
                le64(central, offset);
            }
            count++;
        }
        long cdOffset = out.size();
        byte[] cd = central.toByteArray();
        out.writeBytes(cd);
        if (opt.zip64()) {
            long z64 = out.size();
            le32(out, 0x06064b50);
            le64(out, 44);
            le16(out, 45);
            le16(out, 45);
            le32(out, 0);
            le32(out, 0);
            le64(out, count);
            le64(out, count);
            le64(out, cd.length);
            le64(out, cdOffset);
            le32(out, 0x07064b50);
            le32(out, 0);
            le64(out, z64);
            le32(out, 1);
        }
        le32(out, 0x06054b50);
        le16(out, 0);
        le16(out, 0);
        le16(out, opt.zip64() ? 0xFFFF : count);
        le16(out, opt.zip64() ? 0xFFFF : count);
        le32(out, opt.zip64() ? -1 : cd.length);
        le32(out, opt.zip64() ? -1 : (int) cdOffset);
        le16(out, 0);
        return out.toByteArray();
    }

    /**
     * A legacy (PyTorch 0.4-1.5) checkpoint of {@code root}: the magic number, protocol version and system info
     * pickles, the object pickle with 6-field persistent ids, the storage key list, then each storage as a
     * little-endian int64 element count followed by its bytes.
     */
    static byte[] legacy(Object root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PickleWriter.pickle(new BigInteger("1950a86a20f9469cfc6c", 16)));
        out.writeBytes(PickleWriter.pickle(1001L));
        Map<Object, Object> typeSizes = new LinkedHashMap<>();
        typeSizes.put("short", 2L);
        typeSizes.put("int", 4L);
        typeSizes.put("long", 8L);
        Map<Object, Object> sysInfo = new LinkedHashMap<>();
        sysInfo.put("protocol_version", 1001L);
        sysInfo.put("little_endian", true);
        sysInfo.put("type_sizes", typeSizes);
        out.writeBytes(PickleWriter.pickle(sysInfo));
        PickleWriter w = new PickleWriter(PickleWriter.PidStyle.LEGACY);
        out.writeBytes(w.dump(root));
        List<Object> keys = new ArrayList<>(w.storages.keySet());
        out.writeBytes(PickleWriter.pickle(keys));
        for (PickleWriter.Storage s : w.storages.values()) {
            le64(out, s.numel());
            out.writeBytes(s.data());
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static void le16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write(v >> 8 & 0xff);
    }

    static void le32(ByteArrayOutputStream out, int v) {
        le16(out, v & 0xffff);
        le16(out, v >>> 16);
    }

    static void le64(ByteArrayOutputStream out, long v) {
        le32(out, (int) v);
        le32(out, (int) (v >>> 32));
    }
}
