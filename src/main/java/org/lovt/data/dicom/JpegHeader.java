package org.lovt.data.dicom;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The markers of one JPEG frame up to its first scan, checked before the bytes reach native code: SOI first, every
 * segment inside the buffer, exactly one 8-bit sequential Huffman frame header (SOF0 or SOF1) with its size and
 * components, and a scan header.
 *
 * @param width          samples per line of the SOF
 * @param height         lines of the SOF
 * @param components     number of image components (1 or 3)
 * @param sampling       per component {@code h << 4 | v}
 * @param jfif           whether a JFIF APP0 marker is present
 * @param adobeTransform the Adobe APP14 colour transform (0 none, 1 YCbCr, 2 YCCK), or -1 without the marker
 * @param removable      byte ranges {@code [start, end)} of the APP0 and APP14 segments
 */
record JpegHeader(int width, int height, int components, int[] sampling, boolean jfif, int adobeTransform,
                  List<int[]> removable) {

    static JpegHeader parse(byte[] b, String what) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            throw new DicomException(what + " does not start with a JPEG SOI marker (FF D8)");
        }
        int pos = 2;
        int width = -1;
        int height = -1;
        int components = -1;
        int[] sampling = null;
        boolean jfif = false;
        int adobe = -1;
        List<int[]> removable = new ArrayList<>();
        while (true) {
            if (pos >= b.length || (b[pos] & 0xFF) != 0xFF) {
                throw new DicomException(what + ": expected a JPEG marker at byte " + pos
                        + (pos >= b.length ? " but the data end" : ""));
            }
            int markerStart = pos;
            while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
                pos++; // fill bytes
            }
            if (pos >= b.length) {
                throw new DicomException(what + ": JPEG data end inside a marker at byte " + markerStart);
            }
            int marker = b[pos++] & 0xFF;
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // stand-alone markers
            }
            if (marker == 0xD8 || marker == 0xD9 || marker == 0x00) {
                throw new DicomException(String.format("%s: unexpected JPEG marker FF %02X at byte %d before the"
                        + " first scan", what, marker, markerStart));
            }
            if (pos + 2 > b.length) {
                throw new DicomException(what + ": JPEG segment length at byte " + pos + " is cut off");
            }
            int len = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            if (len < 2 || pos + len > b.length) {
                throw new DicomException(String.format("%s: JPEG segment FF %02X at byte %d declares %d bytes, %d"
                        + " remain", what, marker, markerStart, len, b.length - pos));
            }
            int body = pos + 2;
            int bodyLen = len - 2;
            switch (marker) {
                case 0xC0, 0xC1 -> {
                    if (components != -1) {
                        throw new DicomException(what + ": more than one JPEG frame header (SOF)");
                    }
                    if (bodyLen < 6) {
                        throw new DicomException(what + ": JPEG SOF segment too short");
                    }
                    int precision = b[body] & 0xFF;
                    if (precision != 8) {
                        throw new DicomException(what + ": JPEG sample precision " + precision
                                + " is not supported (8 bits only)");
                    }
                    height = ((b[body + 1] & 0xFF) << 8) | (b[body + 2] & 0xFF);
                    width = ((b[body + 3] & 0xFF) << 8) | (b[body + 4] & 0xFF);
                    components = b[body + 5] & 0xFF;
                    if (bodyLen != 6 + 3 * components || (components != 1 && components != 3)) {
                        throw new DicomException(what + ": JPEG SOF with " + components
                                + " components (1 or 3 supported) or wrong length " + len);
                    }
                    sampling = new int[components];
                    for (int c = 0; c < components; c++) {
                        int hv = b[body + 6 + 3 * c + 1] & 0xFF;
                        int tq = b[body + 6 + 3 * c + 2] & 0xFF;
                        if ((hv >> 4) < 1 || (hv >> 4) > 4 || (hv & 15) < 1 || (hv & 15) > 4 || tq > 3) {
                            throw new DicomException(what + ": invalid JPEG component " + c + " in SOF");
                        }
                        sampling[c] = hv;
                    }
                }
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> throw new DicomException(
                        String.format("%s: JPEG process SOF%d is not 8-bit sequential DCT (only SOF0/SOF1 are decoded"
                                + " for this transfer syntax)", what, marker - 0xC0));
                case 0xE0 -> {
                    if (bodyLen >= 5 && b[body] == 'J' && b[body + 1] == 'F' && b[body + 2] == 'I'
                            && b[body + 3] == 'F' && b[body + 4] == 0) {
                        jfif = true;
                    }
                    removable.add(new int[] {markerStart, pos + len});
                }
                case 0xEE -> {
                    if (bodyLen >= 12 && b[body] == 'A' && b[body + 1] == 'd' && b[body + 2] == 'o'
                            && b[body + 3] == 'b' && b[body + 4] == 'e') {
                        adobe = b[body + 11] & 0xFF;
                    }
                    removable.add(new int[] {markerStart, pos + len});
                }
                case 0xDA -> {
                    if (components == -1) {
                        throw new DicomException(what + ": JPEG scan (SOS) before any frame header (SOF)");
                    }
                    if (width == 0 || height == 0) {
                        throw new DicomException(what + ": JPEG frame of " + width + " x " + height
                                + " (a DNL-defined height is not supported)");
                    }
                    return new JpegHeader(width, height, components, sampling, jfif, adobe, removable);
                }
                default -> { }
            }
            pos += len;
        }
    }

    /**
     * The same stream with its JFIF and Adobe markers replaced by one Adobe APP14 marker with transform 0, so that
     * libjpeg treats the three components as already final and returns them without any colour transform: this is
     * how pydicom (through Pillow's {@code draft('YCbCr')}) returns YCbCr JPEGs.
     */
    byte[] withoutColorTransform(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 16);
        out.write(0xFF);
        out.write(0xD8);
        // APP14 "Adobe": version 100, flags0 0, flags1 0, transform 0 (PS: Adobe TN 5116).
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        int pos = 2;
        for (int[] r : removable) {
            out.write(b, pos, r[0] - pos);
            pos = r[1];
        }
        out.write(b, pos, b.length - pos);
        return out.toByteArray();
    }
}
