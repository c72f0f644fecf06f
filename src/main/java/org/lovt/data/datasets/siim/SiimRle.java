package org.lovt.data.datasets.siim;

import java.util.List;

import org.lovt.LovtException;

/**
 * The run-length masks of SIIM-ACR's {@code train-rle.csv} as the original's {@code create_mask} decodes them
 * (spec §2.3): integers in (start, length) pairs, each start <b>relative</b> to the end of the previous run, over
 * the image flattened column by column; {@code -1} means no annotation; several annotations of one image are ORed.
 *
 * <p>Stricter than the original where it would have been silently wrong: an odd number of integers, a non-integer,
 * a negative value, an empty field, or a run past the end of the image is an error (numpy would crash on the first,
 * and clip the last without a word).
 */
final class SiimRle {
    private SiimRle() {}

    /**
     * Decodes the annotations of one image into a row-major 0/1 mask of {@code size x size}.
     *
     * @throws LovtException naming the problem when an annotation is broken
     */
    public static byte[] decode(List<String> annotations, int size) {
        long total = (long) size * size;
        byte[] mask = new byte[(int) total];
        for (String rle : annotations) {
            String s = rle.strip();
            if (s.equals("-1")) {
                continue;
            }
            if (s.isEmpty()) {
                throw new LovtException("empty EncodedPixels (expected runs or -1)");
            }
            String[] tok = s.split("\\s+");
            if (tok.length % 2 != 0) {
                throw new LovtException("broken RLE: " + tok.length + " integers, not (start, length) pairs");
            }
            long pos = 0;
            for (int i = 0; i < tok.length; i += 2) {
                long start = parse(tok[i]);
                long length = parse(tok[i + 1]);
                pos += start;
                if (pos + length > total) {
                    throw new LovtException("broken RLE: run " + (i / 2 + 1) + " ends at pixel " + (pos + length)
                            + ", past the " + size + " x " + size + " image");
                }
                // Flat index p of the column-major order is row p % size, column p / size.
                for (long p = pos; p < pos + length; p++) {
                    mask[(int) ((p % size) * size + p / size)] = 1;
                }
                pos += length;
            }
        }
        return mask;
    }

    private static long parse(String t) {
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new LovtException("broken RLE: '" + t + "' is not an integer");
        }
        if (v < 0) {
            throw new LovtException("broken RLE: negative value " + v);
        }
        return v;
    }
}
