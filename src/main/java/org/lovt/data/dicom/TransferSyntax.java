package org.lovt.data.dicom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transfer syntax: how the dataset after the file meta is encoded, and how Pixel Data is compressed.
 *
 * <p>Names are pydicom's ({@code pydicom.uid.UID.name}). Every transfer syntax other than Implicit VR Little Endian
 * and Explicit VR Big Endian encodes its dataset as Explicit VR Little Endian (PS3.5 §10), which is also how an
 * unknown UID is parsed; only its pixel data are then refused.
 *
 * @param uid          the Transfer Syntax UID
 * @param name         pydicom's name, or "unknown transfer syntax"
 * @param explicitVr   whether elements carry their VR
 * @param littleEndian byte order of the dataset (and of native pixel data)
 * @param deflated     whether everything after the file meta is raw-deflate compressed
 * @param encapsulated whether Pixel Data is a sequence of fragments (compressed)
 * @param codec        which decoder this reader uses for its pixel data
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean littleEndian, boolean deflated,
                             boolean encapsulated, Codec codec) {

    /** Pixel data decoders of this reader. */
    public enum Codec {
        /** Uncompressed pixel data. */
        NATIVE,
        /** RLE Lossless (PS3.5 Annex G), decoded in Java. */
        RLE,
        /** 8-bit lossy JPEG (processes 1, 2 and 4 with 8-bit samples), decoded by OpenCV's libjpeg-turbo. */
        JPEG_8BIT,
        /** Recognised but not decodable here (JPEG 2000, JPEG-LS, lossless JPEG, video, unknown). */
        UNSUPPORTED
    }

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false, Codec.NATIVE);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false, Codec.NATIVE);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = new TransferSyntax(
            "1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true, false, Codec.NATIVE);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false, false, false, Codec.NATIVE);
    public static final TransferSyntax JPEG_BASELINE = compressed("1.2.840.10008.1.2.4.50",
            "JPEG Baseline (Process 1)", Codec.JPEG_8BIT);
    public static final TransferSyntax JPEG_EXTENDED = compressed("1.2.840.10008.1.2.4.51",
            "JPEG Extended (Process 2 and 4)", Codec.JPEG_8BIT);
    public static final TransferSyntax RLE_LOSSLESS = compressed("1.2.840.10008.1.2.5", "RLE Lossless", Codec.RLE);

    private static final Map<String, TransferSyntax> KNOWN = new LinkedHashMap<>();

    static {
        for (TransferSyntax ts : new TransferSyntax[] {IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN,
                DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN, JPEG_BASELINE, JPEG_EXTENDED,
                RLE_LOSSLESS}) {
            KNOWN.put(ts.uid(), ts);
        }
        unsupported("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)");
        unsupported("1.2.840.10008.1.2.4.70",
                "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])");
        unsupported("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression");
        unsupported("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression");
        unsupported("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)");
        unsupported("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression");
        unsupported("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)");
        unsupported("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression");
        unsupported("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)");
        unsupported("1.2.840.10008.1.2.4.202",
                "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)");
        unsupported("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression");
        unsupported("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level");
        unsupported("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level");
        unsupported("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1");
        unsupported("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1");
        unsupported("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video");
        unsupported("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video");
        unsupported("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2");
        unsupported("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1");
        unsupported("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1");
    }

    private static TransferSyntax compressed(String uid, String name, Codec codec) {
        return new TransferSyntax(uid, name, true, true, false, true, codec);
    }

    private static void unsupported(String uid, String name) {
        KNOWN.put(uid, compressed(uid, name, Codec.UNSUPPORTED));
    }

    /** The transfer syntax with this UID; an unknown UID gives an encapsulated Explicit VR LE one that no codec reads. */
    public static TransferSyntax of(String uid) {
        TransferSyntax ts = KNOWN.get(uid);
        return ts != null ? ts : compressed(uid, "unknown transfer syntax", Codec.UNSUPPORTED);
    }

    /** Whether this UID is one the reader knows by name. */
    public boolean isKnown() {
        return KNOWN.containsKey(uid);
    }

    @Override
    public String toString() {
        return uid + " (" + name + ")";
    }
}
