package org.lovt.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.cli.CliTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lovt report} of a tiny trained run (with its embedding analysis) and a results folder of the protocol: a
 * self-contained page whose pictures all decode, with the tables' values, rendered by headless Chromium (installed by
 * this test when missing and possible; the screenshot is kept as {@code target/report-screenshot.png}).
 */
class ReportTest {
    @TempDir
    static Path shared;
    static Path run;
    static Path results;
    static Analysis.Result analysis;

    @BeforeAll
    static void prepare() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
        PretrainingData data = PretrainingData.generateSynthetic(shared.resolve("data"), 9, 16, 8, 4, 64);
        List<String> overrides = new ArrayList<>(PublicApiTest.TINY);
        overrides.set(1, "name=report-test");
        run = Pretraining.builder().overrides(overrides).data(data).runDir(shared.resolve("run")).maxEpochs(2)
                .workers(1).ignoreUserConfig().log(quiet).build().run().runDir();
        analysis = Analysis.builder(run).workers(1).log(quiet).run();
        Path rsna = DownstreamData.generateSynthetic(shared.resolve("rsna"), "rsna", 3, 16, 8, 8, 64);
        results = shared.resolve("results");
        DownstreamSuite.builder().backbone(run.toString()).name("tiny_lovt").out(results)
                .tasks(List.of("rsna_seg_linear_100")).runs(2).data("rsna", rsna).inputSize(64).batchSize(4)
                .maxEpochs(1).workers(1).log(quiet).run();
    }

    @Test
    void aSelfContainedPageWithTheRunsTablesAndPictures() throws Exception {
        Path out = Path.of("target", "report-test", "report.html");
        CliTest.Run r = CliTest.run("report", run.toString(), results.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String html = Files.readString(out);
        assertFalse(html.contains("<script"), "no script");
        assertFalse(Pattern.compile("(src|href)=\"(https?:|//)").matcher(html).find(), "nothing from the network");
        Matcher m = Pattern.compile("<img alt=\"([^\"]*)\" src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
        List<String> pictures = new ArrayList<>();
        while (m.find()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(2))));
            assertNotNull(img, "picture " + m.group(1) + " decodes");
            pictures.add(m.group(1));
        }
        assertEquals(html.split("<img", -1).length - 1, pictures.size(), "every picture is an inlined PNG");
        assertTrue(pictures.contains("training loss (logged batches)") && pictures.contains("validation loss (per epoch)")
                && pictures.stream().anyMatch(p -> p.startsWith("downstream_rsna_seg_linear_100")), pictures.toString());
        assertTrue(pictures.containsAll(org.lovt.analysis.EmbeddingCharts.FILES), "the embedding-property charts: "
                + pictures);
        assertTrue(pictures.containsAll(List.of("global_alignment.png", "global_alignment_normalized.png",
                "local_alignment.png", "local_alignment_normalized.png")), "the alignment boxplots: " + pictures);
        String chStd = String.format(Locale.ROOT, "%.5g", analysis.metrics().get("emb/yg_a/ch_std"));
        assertTrue(html.contains("<td>emb/yg_a/ch_std</td><td>" + chStd + "</td>"), "analysis value " + chStd);
        assertTrue(html.contains("tiny_lovt") && html.contains("LoVT_100"), "results with the published rows");
        assertTrue(html.contains("configuration (config.yaml)") && html.contains("report-test"));

        Path chromium = Chromium.find();
        Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        String dom = Chromium.run(chromium, "--dump-dom", out.toAbsolutePath().toUri().toString());
        assertTrue(dom.contains(chStd) && dom.contains("tiny_lovt"), "Chromium parsed the tables");
        Chromium.run(chromium, "--screenshot=" + screenshot, "--window-size=1200,2400",
                out.toAbsolutePath().toUri().toString());
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertNotNull(shot, "a screenshot was written");
        assertTrue(distinctColours(shot) > 20, "the page renders text and pictures, not a blank page");

        CliTest.Run bad = CliTest.run("report", shared.resolve("data").toString(), "--out",
                shared.resolve("x.html").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("not a run folder"), bad.err());
        assertFalse(Files.exists(shared.resolve("x.html")));
    }

    @Test
    void markdownTablesAndEmphasis() {
        String html = Report.markdown("# Results\nRows in *italics* are **published**; see `x.csv`.\n\n| Model | a |\n"
                + "|---|---|\n| *LoVT_100 (published)* | *8.5±0.8* |\n| ours | 9.1±0.2* |\n");
        assertTrue(html.contains("<h3>Results</h3>"), html);
        assertTrue(html.contains("Rows in <i>italics</i> are <b>published</b>; see <code>x.csv</code>."), html);
        assertTrue(html.contains("<tr><th>Model</th><th>a</th></tr>"), html);
        assertTrue(html.contains("<td><i>LoVT_100 (published)</i></td><td><i>8.5±0.8</i></td>"), html);
        assertTrue(html.contains("<td>9.1±0.2*</td>"), "a non-overlap mark stays: " + html);
        assertFalse(html.contains("|---"), html);
        assertEquals("a &lt;b&gt; &amp; c", Report.inline("a <b> & c"));
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    /** Headless Chromium: Debian's package, installed here when missing (as root, with apt-get). */
    static final class Chromium {
        static Path find() throws IOException, InterruptedException {
            Path p = which();
            if (p == null && "root".equals(System.getProperty("user.name")) && which("apt-get") != null) {
                exec(List.of("apt-get", "install", "-y", "-q", "chromium"), 900);
                p = which();
            }
            Assumptions.assumeTrue(p != null, "headless Chromium is not installed and could not be installed "
                    + "(apt-get install chromium as root); the rendering check is skipped");
            return p;
        }

        private static Path which() {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = which(name);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }

        private static Path which(String name) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
            return null;
        }

        static String run(Path chromium, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir="
                            + Files.createTempDirectory("chromium-profile")));
            cmd.addAll(List.of(args));
            return exec(cmd, 120);
        }

        private static String exec(List<String> cmd, int seconds) throws IOException, InterruptedException {
            Path log = Files.createTempFile("exec-", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(log.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd.get(0) + " did not finish in " + seconds + " s");
            }
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }
}
