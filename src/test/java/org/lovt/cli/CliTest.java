package org.lovt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class CliTest {
    @TempDir
    Path tmp;

    /** Result of one in-process CLI run. */
    public record Run(int code, String out, String err) {}

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"doctor", "inspect", "help"}) {
            assertTrue(r.out().contains("  " + c + " "), "help lists " + c + ":\n" + r.out());
        }
    }

    @Test
    void doctorReportsVersionsDeviceAndIsolation() {
        Run r = run("doctor", "--no-matmul");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("libtorch        2.10.0"), r.out());
        assertTrue(r.out().contains("java            17"), r.out());
        assertTrue(r.out().contains("native cache"), r.out());
        assertTrue(r.out().contains("isolation       ok:"), r.out());
        assertTrue(r.out().matches("(?s).*cuda\\s+(available|not available).*"), r.out());
    }

    @Test
    void inspectListsSafetensorsTensors() {
        Run r = run("inspect", TestData.require("fixtures/resnet50-w8/weights.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("320 tensors"), r.out());
        assertTrue(r.out().matches("(?s).*\\nconv1\\.weight\\s+F32\\s+\\[8, 3, 7, 7\\]\\s+4704\\n.*"), r.out());
        assertTrue(r.out().contains("total: 320 tensors"), r.out());
    }

    @Test
    void inspectDescribesDicomLikePydicom() throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                TestData.require("data/dicom/CT_small.json").toFile());
        Run r = run("inspect", TestData.require("data/dicom/CT_small.dcm").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sha256: " + json.get("sha256").asText()), r.out());
        assertTrue(r.out().contains("shape: [128, 128]") && r.out().contains("dtype: int16"), r.out());
        assertTrue(r.out().contains("photometric interpretation (0028,0004): MONOCHROME2"), r.out());

        assertOneLineFailure(run("inspect", TestData.require("data/dicom/MR_truncated.dcm").toString()),
                "only 8130 remain in the file");
        Run j2k = run("inspect", TestData.require("data/dicom/MR_small_jp2klossless.dcm").toString());
        assertOneLineFailure(new Run(j2k.code(), "", j2k.err()), "unsupported transfer syntax");
        assertTrue(j2k.out().contains("rows (0028,0010): 64"), "the readable header is still shown");
    }

    private void assertOneLineFailure(Run r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "one-line reason, got:\n" + r.err());
        assertTrue(lines[0].startsWith("lovt: ") && lines[0].contains(expected), lines[0]);
    }

    @Test
    void inspectFailsCleanlyOnUnreadableFiles() throws IOException {
        byte[] good = Files.readAllBytes(TestData.require("fixtures/bert-tiny/model.safetensors"));
        Path truncated = tmp.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(good, 2000));
        assertOneLineFailure(run("inspect", truncated.toString()), "exceeds the file");

        Path corrupt = tmp.resolve("corrupt.safetensors");
        byte[] bad = good.clone();
        bad[20] = '"';
        Files.write(corrupt, bad);
        assertOneLineFailure(run("inspect", corrupt.toString()), "corrupt.safetensors");

        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertOneLineFailure(run("inspect", text.toString()), "not a recognised file");

        assertOneLineFailure(run("inspect", tmp.resolve("absent.bin").toString()), "no such file");
        assertOneLineFailure(run("inspect", tmp.toString()), "is a directory");
    }

    @Test
    void prepareMimicCxrPrintsOneFinalProgressLinePerSplit() {
        Path out = tmp.resolve("prepared");
        Run r = run("prepare", "mimic-cxr", TestData.require("data/mimic-cxr-sample").toString(), "--out",
                out.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.out() + r.err());
        // Not a terminal here: plain lines, and the last one of each split always.
        for (String split : new String[] {"train", "validation", "test"}) {
            assertTrue(r.err().lines().anyMatch(l -> l.startsWith(split + ": ") && l.contains(" studies (100.0%), ")
                    && l.contains(" studies/s, ETA 0:00:00, ") && l.endsWith(" kept")), r.err());
        }
        assertTrue(r.err().indexOf('\r') < 0, r.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("no-such-command").code());
        assertEquals(2, run("inspect").code());
    }
}
