package org.lovt.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ${a.b.c}} references against the composed config and the user config. */
class InterpolationTest {

    @TempDir
    Path dir;

    private ResolvedConfig load(String rootText, String userText) {
        TestConfigs.write(dir, "root.yaml", rootText);
        Path user = dir.resolve("user.yaml");
        if (userText != null) {
            TestConfigs.write(dir, "user.yaml", userText);
        }
        return ConfigLoader.builder().configDir(dir).store(ConfigStore.empty())
                .classLoader(TestConfigs.emptyClassLoader()).userConfigFile(user).build()
                .load("root", List.of());
    }

    @Test
    void wholeValueReferencesKeepTheirType() {
        ResolvedConfig rc = load("a: 5\nb: ${a}\nc: ${b}\nm: {x: 1}\nn: ${m}\nf: ${g}\ng: 0.5\n", null);
        assertEquals(5L, rc.value("b").orElseThrow());
        assertEquals(5L, rc.value("c").orElseThrow(), "chained references resolve");
        assertEquals(Map.of("x", 1L), rc.value("n").orElseThrow());
        assertEquals(0.5, rc.value("f").orElseThrow(), "forward references resolve");
    }

    @Test
    void embeddedReferencesAreText() {
        ResolvedConfig rc = load("a: 5\nname: run\ns: \"${name}-${a}/x\"\nlit: \"\\\\${a}\"\n", null);
        assertEquals("run-5/x", rc.value("s").orElseThrow());
        assertEquals("${a}", rc.value("lit").orElseThrow(), "\\${ is a literal ${");
    }

    @Test
    void userConfigIsConsultedAfterTheConfig() {
        ResolvedConfig rc = load("p: ${data.mimic_cxr.path}\nq: ${models.pretrained_models_folder}\n"
                + "r: ${models.base_path}/runs\n", "models: {base_path: /m}\ndata: {mimic_cxr: {path: /d/mimic}}\n");
        assertEquals("/d/mimic", rc.value("p").orElseThrow());
        assertEquals("pretraining", rc.value("q").orElseThrow(), "user config defaults are visible");
        assertEquals("/m/runs", rc.value("r").orElseThrow());
        // A key present in the composed config shadows the user config.
        ResolvedConfig shadow = load("data: {mimic_cxr: {path: /local}}\np: ${data.mimic_cxr.path}\n",
                "data: {mimic_cxr: {path: /d/mimic}}\n");
        assertEquals("/local", shadow.value("p").orElseThrow());
    }

    @Test
    void sourceStaysWhereTheReferenceWasWritten() {
        ResolvedConfig rc = load("a: 5\nb: ${a}\n", null);
        assertEquals(dir.resolve("root.yaml") + ":2", rc.source("b").orElseThrow().toString());
    }

    @Test
    void errors() {
        Path root = dir.resolve("root.yaml");
        Path user = dir.resolve("user.yaml");
        assertEquals(root + ":1: p: cannot resolve ${data.x.path}: 'data.x.path' was found neither in the "
                + "configuration nor in the user config " + user, TestConfigs.error(() -> load("p: ${data.x.path}\n",
                null)));
        assertEquals(root + ":1: p: cannot resolve ${models.base_path}: 'models.base_path' is not set in the user "
                + "config " + user, TestConfigs.error(() -> load("p: ${models.base_path}\n", null)));
        assertEquals(root + ":2: p: cannot resolve ${a}: 'a' is a missing mandatory value (???)",
                TestConfigs.error(() -> load("a: ???\np: ${a}\n", null)));
        assertEquals(root + ":2: p: cannot insert ${a} into text: it is a map",
                TestConfigs.error(() -> load("a: {x: 1}\np: x${a}\n", null)));
        String msg = TestConfigs.error(() -> load("a: ${b}\nb: ${a}\n", null));
        assertTrue(msg.contains("interpolation cycle"), msg);
        // A value that refers to a node containing it, directly or through another node (found by fuzzing: this
        // copied the node into itself until the stack overflowed).
        assertEquals(root + ":1: x.1: interpolation cycle: ${x} refers to 'x', which contains this value",
                TestConfigs.error(() -> load("x: [a, '${x}']\n", null)));
        msg = TestConfigs.error(() -> load("x: {a: '${y}'}\ny: {b: '${x}'}\n", null));
        assertTrue(msg.contains("interpolation cycle: ${x} refers to 'x'"), msg);
    }

    @Test
    void yamlScalarsResolveLikeOmegaConf() {
        ResolvedConfig rc = load("lr: 1e-4\nwd: 3e-5\nt: True\nf: no\nn: ~\nq: '1e-4'\ni: 12\nm: ???\n", null);
        assertEquals(1e-4, rc.value("lr").orElseThrow());
        assertEquals(3e-5, rc.value("wd").orElseThrow());
        assertEquals(Boolean.TRUE, rc.value("t").orElseThrow());
        assertEquals(Boolean.FALSE, rc.value("f").orElseThrow());
        assertTrue(rc.contains("n") && rc.value("n").isEmpty());
        assertEquals("1e-4", rc.value("q").orElseThrow());
        assertEquals(12L, rc.value("i").orElseThrow());
        assertEquals("???", rc.value("m").orElseThrow());
    }
}
