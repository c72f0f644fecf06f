package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lovt.data.datasets.synthetic.DownstreamCxr.Lesion;
import org.lovt.data.datasets.synthetic.DownstreamCxr.Plan;

/** The downstream images are the pre-training images plus the lesions asked for, and the lesions are where said. */
class DownstreamCxrTest {
    static final int SIZE = 128;

    @Test
    void withoutLesionsTheImagesAreThePretrainingImages() {
        Plan none = new Plan(List.of(), EnumSet.allOf(FindingType.class), true);
        for (int i = 0; i < 8; i++) {
            SyntheticSample pre = SyntheticCxr.generate(21, i, SIZE);
            DownstreamCxr.Image down = DownstreamCxr.generate(21, i, SIZE, none);
            assertArrayEquals(pre.pixels(), down.pixels(), "image " + i);
            assertArrayEquals(pre.anatomy(), down.anatomy());
            assertEquals(pre.cardiomegaly(), down.cardiomegaly());
            assertEquals(pre.findings().size(), down.background().size());
            for (int k = 0; k < pre.findings().size(); k++) {
                assertEquals(pre.findings().get(k).type(), down.background().get(k).type());
                assertArrayEquals(pre.findings().get(k).mask(), down.background().get(k).mask());
            }
            assertEquals(List.of(), down.targets());
        }
    }

    /** Pixels that differ between the two images lie within {@code reach} pixels of the mask. */
    static void changesOnlyNear(byte[] mask, byte[] a, byte[] b, int reach) {
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (a[y * SIZE + x] == b[y * SIZE + x]) {
                    continue;
                }
                boolean near = false;
                for (int dy = -reach; dy <= reach && !near; dy++) {
                    for (int dx = -reach; dx <= reach && !near; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        near = yy >= 0 && xx >= 0 && yy < SIZE && xx < SIZE && mask[yy * SIZE + xx] != 0;
                    }
                }
                assertTrue(near, "pixel (" + y + ", " + x + ") changed far from the lesion");
            }
        }
    }

    static double meanIn(byte[] mask, byte[] px) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                s += px[i] & 0xFF;
                n++;
            }
        }
        return s / n;
    }

    @Test
    void aPneumothoraxIsDarkAirWhereItsMaskIs() {
        Plan plain = new Plan(List.of(), Set.of(), false);
        Plan ptx = new Plan(List.of(Lesion.PNEUMOTHORAX), Set.of(), false);
        int found = 0;
        for (int i = 0; i < 6; i++) {
            DownstreamCxr.Image a = DownstreamCxr.generate(4, i, SIZE, plain);
            DownstreamCxr.Image b = DownstreamCxr.generate(4, i, SIZE, ptx);
            if (b.targets().isEmpty()) {
                continue;
            }
            found++;
            DownstreamCxr.Target t = b.targets().get(0);
            assertEquals(Lesion.PNEUMOTHORAX, t.lesion());
            assertEquals(Box.ofMask(t.mask(), SIZE), t.box());
            // Inside a lung field, and darker there than the same image without it.
            for (int p = 0; p < t.mask().length; p++) {
                if (t.mask()[p] != 0) {
                    assertTrue(b.anatomy()[p] == SyntheticSample.RIGHT_LUNG || b.anatomy()[p]
                            == SyntheticSample.LEFT_LUNG);
                }
            }
            assertTrue(meanIn(t.mask(), b.pixels()) < meanIn(t.mask(), a.pixels()) - 3, "image " + i);
            // The line and the blur reach 2 px beyond the air at this size.
            changesOnlyNear(t.mask(), a.pixels(), b.pixels(), 2);
        }
        assertTrue(found >= 5, "pneumothoraces placed: " + found);
    }

    @Test
    void foreignObjectsAreBrightShapesInsideTheirAnnotation() {
        Plan plain = new Plan(List.of(), Set.of(), false);
        Plan objects = new Plan(List.of(Lesion.FOREIGN_OBJECT, Lesion.FOREIGN_OBJECT, Lesion.FOREIGN_OBJECT),
                Set.of(), false);
        Set<Integer> types = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            DownstreamCxr.Image a = DownstreamCxr.generate(8, i, SIZE, plain);
            DownstreamCxr.Image b = DownstreamCxr.generate(8, i, SIZE, objects);
            byte[] all = new byte[SIZE * SIZE];
            for (DownstreamCxr.Target t : b.targets()) {
                int[] s = t.shape();
                assertNotNull(s);
                types.add(s[0]);
                int x1 = Integer.MAX_VALUE, y1 = Integer.MAX_VALUE, x2 = 0, y2 = 0;
                for (int k = 1; k < s.length; k += 2) {
                    x1 = Math.min(x1, s[k]);
                    x2 = Math.max(x2, s[k]);
                    y1 = Math.min(y1, s[k + 1]);
                    y2 = Math.max(y2, s[k + 1]);
                }
                Box box = t.box();
                assertTrue(box.x() >= x1 && box.y() >= y1 && box.x() + box.w() <= x2 && box.y() + box.h() <= y2,
                        "mask " + box + " inside the annotation " + java.util.Arrays.toString(s));
                if (s[0] == 0) {
                    assertEquals(new Box(x1, y1, x2 - x1, y2 - y1), box); // a rectangle fills its corners' box
                }
                assertTrue(meanIn(t.mask(), b.pixels()) > meanIn(t.mask(), a.pixels()) + 20);
                for (int p = 0; p < all.length; p++) {
                    all[p] |= t.mask()[p];
                }
            }
            assertFalse(b.targets().isEmpty());
            changesOnlyNear(all, a.pixels(), b.pixels(), 1);
        }
        assertEquals(Set.of(0, 1, 2), types);
    }

    @Test
    void findingLesionsUseThePretrainingShapesAtTheirScale() {
        Plan nih = new Plan(List.of(Lesion.MASS, Lesion.ENLARGED_HEART, Lesion.EFFUSION), Set.of(), false);
        Plan small = new Plan(List.of(Lesion.NODULE), Set.of(), false);
        double massArea = 0;
        double noduleArea = 0;
        for (int i = 0; i < 6; i++) {
            DownstreamCxr.Image img = DownstreamCxr.generate(2, i, SIZE, nih);
            assertTrue(img.cardiomegaly());
            assertFalse(img.edema());
            List<Lesion> drawn = img.targets().stream().map(DownstreamCxr.Target::lesion).toList();
            assertTrue(drawn.contains(Lesion.ENLARGED_HEART), drawn.toString());
            for (DownstreamCxr.Target t : img.targets()) {
                assertEquals(Box.ofMask(t.mask(), SIZE), t.box());
                if (t.lesion() == Lesion.MASS) {
                    massArea += t.box().w() * t.box().h();
                }
            }
            DownstreamCxr.Image n = DownstreamCxr.generate(2, i, SIZE, small);
            assertFalse(n.cardiomegaly());
            noduleArea += n.targets().isEmpty() ? 0 : n.targets().get(0).box().w() * n.targets().get(0).box().h();
        }
        // 2.2 times the radius: several times the area.
        assertTrue(massArea > 2.5 * noduleArea, massArea + " vs " + noduleArea);
    }
}
