package org.lovt.data.dicom;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups the fragments of encapsulated Pixel Data into frames (PS3.5 §A.4). Like pydicom 2.3.1, one frame takes
 * every fragment and as many fragments as frames give one fragment per frame (whatever the Basic Offset Table says).
 * Where pydicom 2.3.1 would then misread the data, that is with more fragments than frames, this reader follows
 * the Basic Offset Table, or without one ends each JPEG frame at a fragment ending with an EOI marker (as later
 * pydicom versions do).
 */
final class EncapsulatedFrames {
    private EncapsulatedFrames() {}

    static List<byte[]> split(DicomElement pd, int frames, boolean jpeg, String src) {
        List<Fragment> items = pd.fragments();
        Fragment bot = items.get(0);
        List<Fragment> fragments = items.subList(1, items.size());
        byte[] b = pd.stream();
        if (fragments.isEmpty()) {
            throw new DicomException(src + ": encapsulated Pixel Data at offset " + pd.offset() + " has no fragments");
        }
        List<List<Fragment>> groups = new ArrayList<>();
        if (frames == 1) {
            groups.add(fragments);
        } else if (fragments.size() == frames) {
            for (Fragment f : fragments) {
                groups.add(List.of(f));
            }
        } else if (bot.length() > 0) {
            groups = byOffsetTable(b, bot, fragments, frames, src);
        } else if (jpeg && fragments.size() > frames) {
            List<Fragment> current = new ArrayList<>();
            for (Fragment f : fragments) {
                current.add(f);
                if (endsWithEoi(b, f)) {
                    groups.add(current);
                    current = new ArrayList<>();
                }
            }
            if (!current.isEmpty() || groups.size() != frames) {
                throw new DicomException(src + ": cannot find " + frames + " frames in " + fragments.size()
                        + " fragments: no Basic Offset Table and the JPEG EOI markers give " + groups.size()
                        + " frames");
            }
        } else {
            throw new DicomException(src + ": " + fragments.size() + " fragments for " + frames
                    + " frames and no Basic Offset Table: cannot tell which fragments form which frame");
        }
        List<byte[]> out = new ArrayList<>(groups.size());
        for (List<Fragment> g : groups) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            for (Fragment f : g) {
                frame.write(b, f.valueOffset(), f.length());
            }
            out.add(frame.toByteArray());
        }
        return out;
    }

    private static List<List<Fragment>> byOffsetTable(byte[] b, Fragment bot, List<Fragment> fragments, int frames,
                                                      String src) {
        if (bot.length() % 4 != 0 || bot.length() / 4 != frames) {
            throw new DicomException(src + ": Basic Offset Table at offset " + bot.itemOffset() + " has "
                    + bot.length() + " bytes, not 4 for each of the " + frames + " frames");
        }
        int firstItem = fragments.get(0).itemOffset();
        List<List<Fragment>> groups = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < frames; i++) {
            int p = bot.valueOffset() + 4 * i;
            long offset = u32(b, p);
            long end = i + 1 < frames ? u32(b, p + 4) : Long.MAX_VALUE;
            if (i == 0 && offset != 0) {
                throw new DicomException(src + ": Basic Offset Table starts at " + offset + ", not 0");
            }
            List<Fragment> group = new ArrayList<>();
            while (next < fragments.size() && fragments.get(next).itemOffset() - firstItem < end) {
                Fragment f = fragments.get(next);
                if (group.isEmpty() && f.itemOffset() - firstItem != offset) {
                    throw new DicomException(src + ": Basic Offset Table entry " + i + " (" + offset
                            + ") does not point at a fragment");
                }
                group.add(f);
                next++;
            }
            if (group.isEmpty()) {
                throw new DicomException(src + ": Basic Offset Table entry " + i + " (" + offset
                        + ") gives frame " + i + " no fragments");
            }
            groups.add(group);
        }
        return groups;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    /** Whether the fragment ends with FF D9, allowing one trailing pad byte. */
    private static boolean endsWithEoi(byte[] b, Fragment f) {
        int end = f.valueOffset() + f.length();
        for (int pad = 0; pad <= 1; pad++) {
            int e = end - pad;
            if (e - 2 >= f.valueOffset() && (b[e - 2] & 0xFF) == 0xFF && (b[e - 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }
}
