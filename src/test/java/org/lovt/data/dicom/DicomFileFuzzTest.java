package org.lovt.data.dicom;

import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.data.datasets.prepare.DicomImages;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.fuzz.FuzzContract;

/**
 * Coverage-guided fuzzing of the DICOM reader (contract: {@link FuzzContract}): parse, decode the pixels (native,
 * RLE, deflated, JPEG) and convert them to 8-bit as the preparers do. Complements {@link DicomFuzzTest}'s
 * deterministic mutants of the reference files.
 */
class DicomFileFuzzTest {
    /** A deflated dataset or an RLE/JPEG frame legitimately expands its input; the bound is per input byte. */
    private static final long EXPANSION = 1100;

    @FuzzTest(maxDuration = "10m")
    void dicom(byte[] data) {
        FuzzContract.check("DICOM", data.length, EXPANSION, () -> {
            DicomFile f = DicomFile.parse(data, "fuzz.dcm");
            f.pixels();
        });
    }

    @FuzzTest(maxDuration = "10m")
    void dicomToUint8(byte[] data) {
        Path f = FuzzContract.scratch("fuzz.dcm", data);
        FuzzContract.check("DICOM to uint8", data.length, 4 * EXPANSION,
                () -> DicomImages.readUint8(f, "fuzz", new PrepareReport()));
    }
}
