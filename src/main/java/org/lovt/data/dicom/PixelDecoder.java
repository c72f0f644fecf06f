package org.lovt.data.dicom;

import java.util.List;

/** Chooses the decoder for a file's Pixel Data by transfer syntax; every path returns pydicom's layout. */
final class PixelDecoder {
    private PixelDecoder() {}

    /** Largest decoded array: one Java array. */
    static final long MAX_OUTPUT_BYTES = Integer.MAX_VALUE - 64;

    static PixelArray decode(DicomFile f) {
        String src = f.source();
        DicomDataset ds = f.dataset();
        DicomElement pd = ds.get(Tags.PIXEL_DATA);
        if (pd == null) {
            String other = ds.contains(Tags.FLOAT_PIXEL_DATA) || ds.contains(Tags.DOUBLE_FLOAT_PIXEL_DATA)
                    ? " (Float/Double Float Pixel Data are not supported)" : "";
            throw new DicomException(src + ": no Pixel Data " + Tags.format(Tags.PIXEL_DATA) + " in the dataset"
                    + other);
        }
        TransferSyntax ts = f.transferSyntax();
        if (ts == null) {
            throw new DicomException(src + ": the File Meta Information has no Transfer Syntax UID "
                    + Tags.format(Tags.TRANSFER_SYNTAX_UID) + ", so its Pixel Data cannot be interpreted");
        }
        PixelModule module = PixelModule.of(ds);
        long outBytes = module.elementCount() * module.dtype().itemSize();
        if (outBytes > MAX_OUTPUT_BYTES) {
            throw new DicomException(src + ": pixel module " + describe(module) + " needs " + outBytes
                    + " bytes, more than one array holds");
        }
        if (ts.codec() == TransferSyntax.Codec.UNSUPPORTED) {
            throw new DicomException(src + ": unsupported transfer syntax " + ts.uid() + " (" + ts.name() + ")");
        }
        if (ts.encapsulated() != pd.isEncapsulated()) {
            throw new DicomException(src + ": Pixel Data at offset " + pd.offset() + " is "
                    + (pd.isEncapsulated() ? "encapsulated (undefined length)" : "native (defined length)")
                    + " but transfer syntax " + ts + (ts.encapsulated() ? " is compressed" : " is not"));
        }
        return switch (ts.codec()) {
            case NATIVE -> NativePixels.decode(module, pd, src);
            case RLE -> {
                List<byte[]> frames = EncapsulatedFrames.split(pd, module.numberOfFrames(), false, src);
                yield RleCodec.decode(module, frames, src);
            }
            case JPEG_8BIT -> {
                List<byte[]> frames = EncapsulatedFrames.split(pd, module.numberOfFrames(), true, src);
                yield JpegDecoder.decode(module, frames, src);
            }
            case UNSUPPORTED -> throw new AssertionError("handled above");
        };
    }

    static String describe(PixelModule m) {
        return m.numberOfFrames() + " x " + m.rows() + " x " + m.columns() + " x " + m.samplesPerPixel() + " at "
                + m.bitsAllocated() + " bits";
    }
}
