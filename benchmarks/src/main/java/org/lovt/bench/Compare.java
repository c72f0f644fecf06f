package org.lovt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lovt.vision.ResNetConfig;

/**
 * Reads the JMH JSON results of {@code benchmarks/run.sh} (rounds {@code ours-<k>.json}, {@code peers-<k>.json} in one
 * folder, each round run back to back so that both sides see the same machine state) and prints, last, one line per
 * comparison: {@code ratio <benchmark> ours/<peer> = x.xx} (the peer's time over ours: above 1 means ours is faster;
 * the geometric mean over the rounds, each round's value in brackets) and {@code fraction <benchmark> of matmul peak =
 * x.xx} (achieved FLOP/s over the fp32 matmul rate of the same run).
 */
public final class Compare {
    private Compare() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/results");
        List<Map<String, Double>> rounds = new ArrayList<>();
        for (int k = 1; Files.isRegularFile(dir.resolve("ours-" + k + ".json")); k++) {
            Map<String, Double> r = new LinkedHashMap<>();
            read(dir.resolve("ours-" + k + ".json"), r);
            Path peers = dir.resolve("peers-" + k + ".json");
            if (Files.isRegularFile(peers)) {
                read(peers, r);
            }
            rounds.add(r);
        }
        if (rounds.isEmpty()) {
            System.out.println("no results in " + dir);
            return;
        }
        double trainOurs = 3 * ResNetSteps.BATCH * Flops.resnetForward(ResNetConfig.resnet50(1000), 224, 224);
        double trainDjl = 3 * ResNetSteps.BATCH * Flops.djlResNetV1Forward(224, 224);
        System.out.println();
        for (String b : List.of("resnet50TrainStep", "resnet50Inference")) {
            ratio(rounds, b, "djl", "DjlResNet50." + b, "ResNetSteps." + b + "[ours]",
                    trainDjl / trainOurs);
            ratio(rounds, b, "raw", "ResNetSteps." + b + "[raw]", "ResNetSteps." + b + "[ours]", 1);
        }
        double n = ModelSteps.MATMUL_N;
        fraction(rounds, "resnet50TrainStep", "ResNetSteps.resnet50TrainStep[ours]", trainOurs, n);
        fraction(rounds, "resnet50Inference", "ResNetSteps.resnet50Inference[ours]", trainOurs / 3, n);
        fraction(rounds, "bertBaseTrainStep", "ModelSteps.bertBaseTrainStep",
                3 * ModelSteps.BATCH * Flops.bertForward(ModelSteps.bertBase(), ModelSteps.TOKENS), n);
    }

    /** Benchmark name (class.method, with [param] when it has one) → ms per operation. */
    private static void read(Path file, Map<String, Double> into) throws IOException {
        for (JsonNode r : new ObjectMapper().readTree(file.toFile())) {
            String name = r.get("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode params = r.get("params");
            if (params != null && params.has("impl")) {
                name += "[" + params.get("impl").asText() + "]";
            }
            into.put(name, r.get("primaryMetric").get("score").asDouble());
        }
    }

    private static void ratio(List<Map<String, Double>> rounds, String bench, String peer, String peerKey,
                              String oursKey, double peerWorkOverOurs) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> r : rounds) {
            if (r.containsKey(peerKey) && r.containsKey(oursKey)) {
                values.add(r.get(peerKey) / r.get(oursKey));
            }
        }
        if (values.isEmpty()) {
            return;
        }
        double g = geomean(values);
        String perFlop = peerWorkOverOurs != 1 ? String.format(Locale.ROOT, ", per FLOP %.2f", g / peerWorkOverOurs)
                : "";
        System.out.printf(Locale.ROOT, "ratio %s ours/%s = %.2f   (rounds %s%s)%n", bench, peer, g, list(values),
                perFlop);
    }

    private static void fraction(List<Map<String, Double>> rounds, String bench, String key, double flops, double n) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> r : rounds) {
            Double matmul = r.get("ModelSteps.matmulFp32");
            if (matmul != null && r.containsKey(key)) {
                double peak = 2 * n * n * n / (matmul / 1e3);
                values.add(flops / (r.get(key) / 1e3) / peak);
            }
        }
        if (!values.isEmpty()) {
            System.out.printf(Locale.ROOT, "fraction %s of matmul peak = %.2f   (rounds %s)%n", bench,
                    geomean(values), list(values));
        }
    }

    private static double geomean(List<Double> v) {
        return Math.exp(v.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
    }

    private static String list(List<Double> v) {
        return String.join(", ", v.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }

}
