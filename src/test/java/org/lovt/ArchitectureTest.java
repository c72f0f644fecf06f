package org.lovt;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering written in the README ("Layering"), checked on the compiled main classes: no package cycle, each
 * layer imports only the layers below it, data and model stay beside each other, the native boundary stays in
 * {@code torch}, and the public API's signatures use no bytedeco or internal types.
 */
class ArchitectureTest {
    static JavaClasses main;

    @BeforeAll
    static void load() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.lovt");
        assertTrue(main.size() > 250, "the main classes were found: " + main.size());
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.lovt.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void layersImportOnlyLayersBelow() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Base").definedBy("org.lovt", "org.lovt.torch..", "org.lovt.util..", "org.lovt.config..")
                .layer("NN").definedBy("org.lovt.nn..")
                .layer("ImageIO").definedBy("org.lovt.data.image..", "org.lovt.data.dicom..")
                .layer("Vision").definedBy("org.lovt.vision..")
                .layer("Text").definedBy("org.lovt.text..")
                .layer("Model").definedBy("org.lovt.model..")
                .layer("Data").definedBy("org.lovt.data", "org.lovt.data.datasets..")
                .layer("Train").definedBy("org.lovt.train..")
                .layer("Evaluation").definedBy("org.lovt.eval..", "org.lovt.analysis..", "org.lovt.verify..")
                .layer("Baselines").definedBy("org.lovt.baselines..")
                .layer("Api").definedBy("org.lovt.api..")
                .layer("Cli").definedBy("org.lovt.cli..", "org.lovt.demo..")
                .whereLayer("Base").mayOnlyAccessLayers("Base")
                .whereLayer("NN").mayOnlyAccessLayers("Base")
                .whereLayer("ImageIO").mayOnlyAccessLayers("Base")
                .whereLayer("Vision").mayOnlyAccessLayers("Base", "NN")
                .whereLayer("Text").mayOnlyAccessLayers("Base", "NN")
                .whereLayer("Model").mayOnlyAccessLayers("Base", "NN", "ImageIO", "Vision", "Text")
                .whereLayer("Data").mayOnlyAccessLayers("Base", "ImageIO", "Text")
                .whereLayer("Train").mayOnlyAccessLayers("Base", "NN", "ImageIO", "Vision", "Text", "Model", "Data")
                .whereLayer("Evaluation").mayOnlyAccessLayers("Base", "NN", "ImageIO", "Vision", "Text", "Model",
                        "Data", "Train")
                .whereLayer("Baselines").mayOnlyAccessLayers("Base", "NN", "ImageIO", "Vision", "Text", "Model",
                        "Data", "Train")
                .whereLayer("Api").mayOnlyAccessLayers("Base", "NN", "ImageIO", "Vision", "Text", "Model", "Data",
                        "Train", "Evaluation", "Baselines")
                .check(main);
    }

    @Test
    void theGenericConfigLayerKnowsNoApplicationRecord() {
        noClasses().that().resideInAPackage("org.lovt.config..").should().dependOnClassesThat()
                .resideOutsideOfPackages("org.lovt", "org.lovt.config..", "java..", "com.fasterxml..", "org.yaml..")
                .check(main);
    }

    /**
     * No network at run time (issue "Reliability", item 5): no class opens a socket, a URL connection or an HTTP
     * client. (A distributed store will be the one exception, on the addresses the user gives.) The run-time check is
     * {@code cli.NoNetworkTest}.
     */
    @Test
    void nothingOpensANetworkConnection() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.URLConnection")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.HttpURLConnection")
                .orShould().dependOnClassesThat().resideInAPackage("java.net.http..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.channels.SocketChannel")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.channels.ServerSocketChannel")
                .orShould().callMethod(java.net.URL.class, "openConnection")
                .orShould().callMethod(java.net.URL.class, "openStream")
                .check(main);
    }

    @Test
    void onlyTheTorchPackageTouchesJavacppScopesAndLoading() {
        noClasses().that().resideOutsideOfPackages("org.lovt.torch..").should().dependOnClassesThat()
                .haveFullyQualifiedName("org.bytedeco.javacpp.PointerScope")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bytedeco.javacpp.Loader")
                .check(main);
    }

    @Test
    void pretrainingFromTheCommandLineIsWiredThroughTheApiOnly() {
        noClasses().that().haveFullyQualifiedName("org.lovt.cli.PretrainCommand").should().dependOnClassesThat()
                .resideOutsideOfPackages("org.lovt.api..", "org.lovt.cli..", "java..", "picocli..")
                .check(main);
    }

    /**
     * The demo is a script over the public API, as a user's program would be (plus Jackson, which writes its
     * {@code results.json}); {@code lovt demo} only parses options and calls it.
     */
    @Test
    void theDemoIsWiredThroughTheApiOnly() {
        noClasses().that().resideInAPackage("org.lovt.demo..").should().dependOnClassesThat()
                .resideOutsideOfPackages("org.lovt.api..", "org.lovt.demo..", "java..",
                        "com.fasterxml.jackson.databind..")
                .check(main);
        noClasses().that().haveFullyQualifiedName("org.lovt.cli.DemoCommand").should().dependOnClassesThat()
                .resideOutsideOfPackages("org.lovt.api..", "org.lovt.demo..", "org.lovt.cli..", "java..", "picocli..")
                .check(main);
    }

    /** Public signatures of the API use Java and API types only: a user never needs a bytedeco import. */
    @Test
    void apiSignaturesExposeNoNativeOrInternalTypes() throws Exception {
        List<String> bad = new ArrayList<>();
        List<JavaClass> api = main.stream().filter(c -> c.getPackageName().equals("org.lovt.api")).toList();
        assertTrue(api.size() >= 8, "API classes found: " + api.size());
        for (JavaClass jc : api) {
            Class<?> c = Class.forName(jc.getName(), false, getClass().getClassLoader());
            if (!Modifier.isPublic(c.getModifiers())) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    check(bad, c.getSimpleName() + "." + m.getName() + " returns", m.getGenericReturnType());
                    for (Type t : m.getGenericParameterTypes()) {
                        check(bad, c.getSimpleName() + "." + m.getName() + " takes", t);
                    }
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    for (Type t : k.getGenericParameterTypes()) {
                        check(bad, c.getSimpleName() + "(...) takes", t);
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    private static void check(List<String> bad, String where, Type t) {
        if (t instanceof ParameterizedType p) {
            check(bad, where, p.getRawType());
            for (Type a : p.getActualTypeArguments()) {
                check(bad, where, a);
            }
            return;
        }
        if (t instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String n = c.getName();
            if (!c.isPrimitive() && !n.startsWith("java.") && !n.startsWith("javax.")
                    && !n.startsWith("org.lovt.api.") && !n.equals("org.lovt.LovtException")) {
                bad.add(where + " " + n);
            }
        }
    }
}
