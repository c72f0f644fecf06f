package org.lovt.data.datasets.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the report of a synthetic image: one sentence per finding naming its type and zone (hedged for uncertain
 * findings), a heart-size sentence, a few normal and negative statements about what is absent, all shuffled into the
 * FINDINGS section, and a one-sentence IMPRESSION. The wording is drawn from templates with synonyms; the CheXpert
 * labels follow from the sentences chosen ({@link ChexpertLabels}).
 */
final class ReportComposer {
    /** The report: FINDINGS sentences, IMPRESSION sentences and the labels they imply. */
    record Report(List<ReportSentence> findings, List<ReportSentence> impression, ChexpertLabels labels) {}

    private final SplittableRandom r;
    private final ChexpertLabels.Builder labels = new ChexpertLabels.Builder();

    private ReportComposer(SplittableRandom r) {
        this.r = r;
    }

    static Report compose(SplittableRandom r, List<Finding> findings, boolean cardiomegaly, boolean edema, int size) {
        return new ReportComposer(r).report(findings, cardiomegaly, edema, size);
    }

    private Report report(List<Finding> findings, boolean cardiomegaly, boolean edema, int size) {
        List<ReportSentence> body = new ArrayList<>();
        boolean[] present = new boolean[FindingType.values().length];
        boolean lungFinding = false;
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            present[f.type().ordinal()] = true;
            lungFinding |= f.type() != FindingType.DEVICE;
            body.add(new ReportSentence(describe(f, size), i, f.type().key()));
            for (String label : f.type().chexpertLabels()) {
                labels.mention(label, f.uncertain() ? -1.0 : 1.0);
            }
        }
        body.add(heart(cardiomegaly));
        if (edema) {
            body.add(edema());
        }
        List<String> topics = new ArrayList<>();
        for (FindingType t : FindingType.values()) {
            if (!present[t.ordinal()] && t != FindingType.DEVICE) {
                topics.add(t.key());
            }
        }
        topics.addAll(List.of("pneumothorax", "mediastinum", "bones"));
        if (!edema) {
            topics.add("edema");
        }
        if (!lungFinding && !edema) {
            topics.add("lungs");
        }
        shuffle(topics);
        int extra = Math.min(topics.size(), (findings.isEmpty() ? 3 : 2) + r.nextInt(3));
        List<String> chosen = new ArrayList<>(topics.subList(0, extra));
        for (String topic : chosen) {
            if (topic.equals("pneumothorax") && chosen.contains("effusion")) {
                continue; // may already be said by "No pleural effusion or pneumothorax."
            }
            body.add(normal(topic, cardiomegaly, chosen.contains("pneumothorax")));
        }
        shuffle(body);
        boolean abnormal = lungFinding || cardiomegaly || edema;
        List<ReportSentence> impression = List.of(new ReportSentence(abnormal
                ? Phrases.pick(r, List.of("Findings as described above.",
                        "Abnormal chest radiograph as detailed above.", "See findings above."))
                : Phrases.pick(r, List.of("No acute cardiopulmonary process.", "No acute cardiopulmonary abnormality.",
                        "No acute intrathoracic process.")), -1, "impression"));
        return new Report(List.copyOf(body), impression, labels.build());
    }

    private String describe(Finding f, int size) {
        boolean hedge = f.uncertain();
        Zone zone = f.zone();
        // Equivalent diameter relative to the image, for size words that fit what is drawn.
        double rel = 2 * Math.sqrt(f.area() / Math.PI) / size;
        return switch (f.type()) {
            case NODULE -> nodule(zone, hedge, rel);
            case OPACITY -> opacity(zone, hedge);
            case EFFUSION -> effusion(zone, hedge, f.box().h() / (double) size);
            case ATELECTASIS -> atelectasis(zone, hedge);
            case DEVICE -> device(zone);
        };
    }

    private String nodule(Zone zone, boolean hedge, double rel) {
        String size = Phrases.pick(r, rel < 0.04 ? List.of("small", "tiny", "5 mm", "subcentimeter")
                : List.of("small", "8 mm", "1 cm", "well-circumscribed"));
        String name = Phrases.pick(r, List.of("nodule", "pulmonary nodule", "nodular density", "rounded nodule"));
        String loc = Phrases.location(r, zone);
        String a = Phrases.article(size);
        if (hedge) {
            return switch (r.nextInt(3)) {
                case 0 -> "Possible " + size + " " + name + " " + loc + ".";
                case 1 -> "There may be " + a + " " + size + " " + name + " " + loc + ".";
                default -> "Questionable " + size + " " + name + " " + loc + ".";
            };
        }
        return switch (r.nextInt(6)) {
            case 0 -> "There is " + a + " " + size + " " + name + " " + loc + ".";
            case 1 -> Phrases.capitalize(a) + " " + size + " " + name + " is seen " + loc + ".";
            case 2 -> Phrases.capitalize(a) + " " + size + " " + name + " projects " + Phrases.over(r, zone) + ".";
            case 3 -> "Note is made of " + a + " " + size + " " + name + " " + loc + ".";
            case 4 -> Phrases.capitalize(size) + " " + name + " " + loc + ".";
            default -> Phrases.capitalize(Phrases.modifier(r, zone)) + " " + name + ".";
        };
    }

    /** Noun phrases for an opacity: {article or "", words}. */
    private static final List<String[]> OPACITIES = List.of(new String[] {"a", "patchy opacity"},
            new String[] {"an", "ill-defined opacity"}, new String[] {"", "patchy airspace opacity"},
            new String[] {"an", "area of consolidation"}, new String[] {"", "focal consolidation"},
            new String[] {"a", "hazy opacity"}, new String[] {"", "airspace consolidation"},
            new String[] {"an", "airspace opacity"});

    private String opacity(Zone zone, boolean hedge) {
        String[] np = Phrases.pick(r, OPACITIES);
        String words = np[1];
        String withArticle = np[0].isEmpty() ? words : np[0] + " " + words;
        String loc = Phrases.location(r, zone);
        if (hedge) {
            return switch (r.nextInt(3)) {
                case 0 -> "Possible " + words + " " + loc + ".";
                case 1 -> "There may be " + withArticle + " " + loc + ".";
                default -> "Questionable " + words + " " + loc + ".";
            };
        }
        return switch (r.nextInt(5)) {
            case 0 -> "There is " + withArticle + " " + loc + ".";
            case 1 -> Phrases.capitalize(withArticle) + " is seen " + loc + ".";
            case 2 -> Phrases.capitalize(withArticle) + " is present " + loc + ".";
            case 3 -> Phrases.capitalize(words) + " " + loc + ".";
            default -> Phrases.capitalize(Phrases.modifier(r, zone)) + " "
                    + Phrases.pick(r, List.of("opacity", "consolidation", "airspace opacity")) + ".";
        };
    }

    private String effusion(Zone zone, boolean hedge, double relHeight) {
        String size = Phrases.pick(r, relHeight < 0.09 ? List.of("small", "trace", "small") : List.of("small",
                "moderate", "small"));
        String side = zone.side().word();
        String a = Phrases.article(size);
        String loc = Phrases.location(r, zone);
        if (hedge) {
            return switch (r.nextInt(3)) {
                case 0 -> "Possible " + size + " pleural effusion " + loc + ".";
                case 1 -> "Blunting of the " + side + " costophrenic angle may represent " + a + " " + size
                        + " pleural effusion.";
                default -> "There may be " + a + " " + size + " pleural effusion " + loc + ".";
            };
        }
        return switch (r.nextInt(6)) {
            case 0 -> "There is " + a + " " + size + " pleural effusion " + loc + ".";
            case 1 -> Phrases.capitalize(a) + " " + size + " pleural effusion is seen " + loc + ".";
            case 2 -> Phrases.capitalize(size) + " pleural effusion " + loc + ".";
            case 3 -> Phrases.capitalize(size) + " " + side + " basal pleural effusion.";
            case 4 -> "Blunting of the " + side + " costophrenic angle is consistent with " + a + " " + size
                    + " pleural effusion.";
            default -> "There is " + a + " " + size + " " + side
                    + " pleural effusion with blunting of the costophrenic angle.";
        };
    }

    private String atelectasis(Zone zone, boolean hedge) {
        String name = Phrases.pick(r, List.of("plate-like atelectasis", "linear atelectasis",
                "subsegmental atelectasis", "discoid atelectasis", "minor atelectasis", "atelectasis"));
        String loc = Phrases.location(r, zone);
        if (hedge) {
            return switch (r.nextInt(3)) {
                case 0 -> "Possible " + name + " " + loc + ".";
                case 1 -> "There may be " + name + " " + loc + ".";
                default -> "Questionable " + name + " " + loc + ".";
            };
        }
        return switch (r.nextInt(4)) {
            case 0 -> "There is " + name + " " + loc + ".";
            case 1 -> Phrases.capitalize(name) + " is noted " + loc + ".";
            case 2 -> Phrases.capitalize(name) + " " + loc + ".";
            default -> Phrases.capitalize(Phrases.modifier(r, zone)) + " " + name + ".";
        };
    }

    private String device(Zone zone) {
        String name = Phrases.pick(r, List.of("central venous catheter", "central line", "central venous line",
                "internal jugular catheter", "venous catheter"));
        String a = Phrases.capitalize(Phrases.article(name));
        return switch (r.nextInt(5)) {
            case 0 -> a + " " + name + " is in place with its tip projecting " + Phrases.over(r, zone) + ".";
            case 1 -> a + " " + name + " terminates " + Phrases.over(r, zone) + ".";
            case 2 -> "The tip of the " + name + " projects " + Phrases.over(r, zone) + ".";
            case 3 -> a + " " + name + " is seen with its tip " + Phrases.location(r, zone) + ".";
            default -> "The " + name + " tip is " + Phrases.location(r, zone) + ".";
        };
    }

    private ReportSentence heart(boolean cardiomegaly) {
        labels.mention("Cardiomegaly", cardiomegaly ? 1.0 : 0.0);
        String text = cardiomegaly
                ? Phrases.pick(r, List.of("The heart is enlarged.", "Moderate cardiomegaly.", "There is cardiomegaly.",
                        "The cardiac silhouette is enlarged."))
                : Phrases.pick(r, List.of("Heart size is normal.", "The heart size is within normal limits.",
                        "Normal heart size.", "The cardiac silhouette is normal in size."));
        return new ReportSentence(text, -1, "heart");
    }

    /** Pulmonary edema: diffuse and bilateral, so the sentence names no zone (finding -1); hedged one time in five. */
    private ReportSentence edema() {
        boolean hedge = r.nextDouble() < 0.2;
        labels.mention("Edema", hedge ? -1.0 : 1.0);
        String text = hedge
                ? Phrases.pick(r, List.of("Possible mild pulmonary edema.", "There may be mild interstitial edema."))
                : Phrases.pick(r, List.of("There is mild pulmonary edema.", "Mild interstitial pulmonary edema.",
                        "Perihilar haziness is consistent with mild pulmonary edema.",
                        "Pulmonary vascular congestion with mild edema."));
        return new ReportSentence(text, -1, "edema");
    }

    /** A normal or negative statement about {@code topic}, recording the labels it sets. */
    private ReportSentence normal(String topic, boolean cardiomegaly, boolean pneumothoraxChosen) {
        String text;
        switch (topic) {
            case "opacity" -> {
                text = Phrases.pick(r, List.of("No focal consolidation.", "There is no focal consolidation.",
                        "No focal consolidation is seen."));
                labels.mention("Consolidation", 0.0);
            }
            case "nodule" -> {
                text = Phrases.pick(r, List.of("No pulmonary nodules are seen.", "No suspicious pulmonary nodules.",
                        "There is no pulmonary nodule."));
                labels.mention("Lung Lesion", 0.0);
            }
            case "effusion" -> {
                if (pneumothoraxChosen) {
                    text = Phrases.pick(r, List.of("No pleural effusion or pneumothorax.",
                            "There is no pleural effusion or pneumothorax."));
                    labels.mention("Pneumothorax", 0.0);
                } else {
                    text = Phrases.pick(r, List.of("No pleural effusion.", "There is no pleural effusion.",
                            "No pleural effusion is seen."));
                }
                labels.mention("Pleural Effusion", 0.0);
            }
            case "atelectasis" -> {
                text = Phrases.pick(r, List.of("No atelectasis.", "There is no atelectasis."));
                labels.mention("Atelectasis", 0.0);
            }
            case "pneumothorax" -> {
                text = Phrases.pick(r, List.of("No pneumothorax.", "There is no pneumothorax.",
                        "No pneumothorax is seen."));
                labels.mention("Pneumothorax", 0.0);
            }
            case "edema" -> {
                text = Phrases.pick(r, List.of("No pulmonary edema.", "There is no pulmonary edema.",
                        "No evidence of pulmonary edema."));
                labels.mention("Edema", 0.0);
            }
            case "mediastinum" -> {
                if (!cardiomegaly && r.nextBoolean()) {
                    text = "The cardiomediastinal silhouette is normal.";
                    labels.mention("Enlarged Cardiomediastinum", 0.0);
                } else {
                    text = Phrases.pick(r, List.of("The mediastinal contours are normal.",
                            "Mediastinal and hilar contours are unremarkable."));
                }
            }
            case "bones" -> {
                int k = r.nextInt(3);
                text = List.of("No acute osseous abnormality.", "The osseous structures are unremarkable.",
                        "No displaced rib fracture.").get(k);
                if (k == 2) {
                    labels.mention("Fracture", 0.0);
                }
            }
            case "lungs" -> text = Phrases.pick(r, List.of("The lungs are clear.", "Lungs are well expanded and clear.",
                    "The lungs are clear bilaterally."));
            default -> throw new IllegalStateException("no normal statement for " + topic);
        }
        return new ReportSentence(text, -1, topic);
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
