package org.lovt.data.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a synthetic RSNA source folder ({@code stage_2_train_labels.csv} + 8-bit 1024 x 1024 DICOMs) for the
 * throughput measurement: {@code java -cp ... org.lovt.data.datasets.SyntheticRsna DIR N}. Every third image gets
 * two boxes.
 */
public final class SyntheticRsna {
    private SyntheticRsna() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int s = 1024;
        List<String> labels = new ArrayList<>(List.of("patientId,x,y,width,height,Target"));
        for (int k = 0; k < n; k++) {
            String id = String.format("synthetic-%05d", k);
            byte[] px = new byte[s * s];
            for (int i = 0; i < px.length; i++) {
                int y = i / s;
                int x = i % s;
                // A smooth chest-like gradient with noise, so PNG compression has realistic work.
                px[i] = (byte) Math.min(255, (128 + 100 * Math.sin(x / 160.0) * Math.cos(y / 200.0)
                        + ((i * 2654435761L + k) >>> 27 & 15)));
            }
            Fixtures.dicom8(dir.resolve("stage_2_train_images/" + id + ".dcm"), s, s, px);
            if (k % 3 == 0) {
                labels.add(id + ",100.0,200.0,300.0,400.0,1");
                labels.add(id + ",600.0,250.0,200.0,350.0,1");
            } else {
                labels.add(id + ",,,,,0");
            }
        }
        Fixtures.text(dir.resolve("stage_2_train_labels.csv"), labels.toArray(String[]::new));
    }
}
