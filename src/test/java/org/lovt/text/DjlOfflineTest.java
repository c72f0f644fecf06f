package org.lovt.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

/**
 * DJL's offline and opt-out switches, each case in a fresh JVM (the properties are process-wide, so this JVM's
 * state, set by the test setup or by other tests, would prove nothing): loading the library sets nothing, building
 * the first tokenizer sets both where the user left them unset, keeps what the user set, and refuses offline mode
 * switched off.
 */
class DjlOfflineTest {
    /** Runs in the child JVM: prints the properties before and after loading classes and building a tokenizer. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("initial " + state());
            try {
                Class.forName("org.lovt.cli.Main");
                Class.forName("org.lovt.text.WordPieceTokenizer");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            System.out.println("loaded " + state());
            try (WordPieceTokenizer t = WordPieceTokenizer.fromVocab(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "no"),
                    true, "probe vocab")) {
                System.out.println("built " + state() + " ids " + t.encode("no", true).ids().length);
            } catch (LovtException e) {
                System.out.println("refused " + state() + " " + e.getMessage());
            }
        }

        static String state() {
            return System.getProperty("ai.djl.offline") + "/" + System.getProperty("OPT_OUT_TRACKING");
        }
    }

    /** The probe's output in a child JVM with the test class path, the given JVM options and environment. */
    static List<String> probe(Map<String, String> env, String... jvmOptions) throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", cp, Probe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(DjlOffline.OFFLINE_ENV);
        pb.environment().remove(DjlOffline.OPT_OUT_TRACKING);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.matches("^(initial|loaded|built|refused) .*")).toList();
    }

    @Test
    void setLazilyByTheFirstTokenizerNotByLoadingTheLibrary() throws Exception {
        List<String> out = probe(Map.of());
        assertEquals("initial null/null", out.get(0));
        assertEquals("loaded null/null", out.get(1), "loading the library's classes changes no property");
        assertEquals("built true/true ids 3", out.get(2));
    }

    @Test
    void theUsersValuesAreKept() throws Exception {
        List<String> out = probe(Map.of(), "-DOPT_OUT_TRACKING=false", "-Dai.djl.offline=TRUE");
        assertEquals("built TRUE/false ids 3", out.get(2));
        out = probe(Map.of(DjlOffline.OPT_OUT_TRACKING, "false", DjlOffline.OFFLINE_ENV, "true"));
        assertEquals("built true/null ids 3", out.get(2), "an opt-out in the environment is not overridden");
    }

    @Test
    void offlineModeSwitchedOffIsRefused() throws Exception {
        List<String> out = probe(Map.of(), "-Dai.djl.offline=false");
        assertTrue(out.get(2).startsWith("refused false/null -Dai.djl.offline=false switches DJL's "
                + "offline mode off; "), out.get(2));
        out = probe(Map.of(DjlOffline.OFFLINE_ENV, "false"));
        assertTrue(out.get(2).startsWith("refused null/null DJL_OFFLINE=false is set in the "
                + "environment"), out.get(2));
    }
}
