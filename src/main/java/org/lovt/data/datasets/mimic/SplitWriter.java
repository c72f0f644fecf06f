package org.lovt.data.datasets.mimic;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import org.lovt.util.Csv;

/**
 * Writes one split of the prepared dataset, study by study: {@code samples.jsonl} (one study per line, spec
 * lovt-data-eval §1.6) and {@code image_list.csv} (one row per image, §1.7), and gathers what the split's
 * statistics need.
 */
final class SplitWriter implements AutoCloseable {
    private final OutputStream jsonOut;
    private final JsonGenerator json;
    private final Csv.Writer imageList;
    private final List<Float> studyMeans = new ArrayList<>();
    private final List<Float> studyVars = new ArrayList<>();
    private final long[] positives = new long[ChexpertLabels.BINARY.size()];
    private int studies;
    private int images;

    SplitWriter(Path dir) throws IOException {
        Files.createDirectories(dir);
        jsonOut = Files.newOutputStream(dir.resolve(MimicCxrDataset.SAMPLES_FILE));
        json = new JsonFactory().createGenerator(new java.io.BufferedOutputStream(jsonOut, 1 << 20));
        json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        // csv.DictWriter's default line terminator.
        imageList = Csv.Writer.create(dir.resolve(MimicCxrDataset.IMAGE_LIST_FILE), Csv.CRLF);
        List<String> header = new ArrayList<>(List.of("patient_id", "study_id", "dicom_id", "img_file"));
        header.addAll(ChexpertLabels.BINARY);
        imageList.row(header);
    }

    void write(PreparedStudy s) throws IOException {
        s.writeJson(json);
        for (PreparedStudy.View v : s.views()) {
            List<String> row = new ArrayList<>(List.of(s.patientId(), s.studyId(), v.dicomId(), s.imageFile(v)));
            for (int label : s.chexpertBinary()) {
                row.add(Integer.toString(label));
            }
            imageList.row(row);
        }
        studyMeans.add(s.scanPixelMean());
        studyVars.add(s.scanPixelVar());
        for (int i = 0; i < positives.length; i++) {
            positives[i] += s.chexpertBinary()[i];
        }
        studies++;
        images += s.views().size();
    }

    int studies() {
        return studies;
    }

    int images() {
        return images;
    }

    /**
     * The split's pixel statistics over its studies (spec §0: float32 study values, pooled in double).
     */
    PixelStats.MeanVar pixelStats() {
        double[] m = new double[studyMeans.size()];
        double[] v = new double[studyVars.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = studyMeans.get(i);
            v[i] = studyVars.get(i);
        }
        return PixelStats.pool(m, v);
    }

    /**
     * {@code compute_chexpert_pos_weights}: per binary label 1 − (positive fraction), i.e. the negative fraction
     * (spec §1.5). NaN for an empty split, as pandas gives 0/0.
     */
    double[] chexpertPosWeights() {
        double[] w = new double[positives.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1.0 - (double) positives[i] / studies;
        }
        return w;
    }

    @Override
    public void close() throws IOException {
        try (Csv.Writer il = imageList) {
            if (studies > 0) {
                json.writeRaw('\n');
            }
            json.close(); // closes jsonOut as well
        } finally {
            jsonOut.close();
        }
    }
}
