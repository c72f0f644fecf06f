package org.lovt.data.datasets.mimic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one study into a {@link PreparedStudy} or a reason to skip it, in the original's order of checks
 * ({@code _generate_examples}, spec lovt-data-eval §1.2 steps 4-9): report and sections, sentences and the token
 * filter, then the images, then the CheXpert row. Stateless apart from its inputs, so studies can be processed on
 * several threads.
 */
final class StudyProcessor {
    /** {@code min_section_tokens} of the {@code mimic-cxr_ap-pa} builder config. */
    static final int MIN_TOKENS = 3;

    private final ReportStore reports;
    private final Path imagesRoot;
    private final ReportSentenceSplitter splitter;
    private final Map<MimicTables.StudyKey, ChexpertLabels.Value[]> chexpert;

    StudyProcessor(ReportStore reports, Path imagesRoot, ReportSentenceSplitter splitter,
                   Map<MimicTables.StudyKey, ChexpertLabels.Value[]> chexpert) {
        this.reports = reports;
        this.imagesRoot = imagesRoot;
        this.splitter = splitter;
        this.chexpert = chexpert;
    }

    /**
     * What came of one study.
     *
     * @param study  the prepared study, or null if it was skipped
     * @param issues what was skipped or noticed (a skipped study has exactly one study-level issue)
     */
    record Outcome(PreparedStudy study, List<Issue> issues) {}

    /**
     * Prepares one study.
     *
     * @param split       prepared split name
     * @param key         subject and study
     * @param frontal     the study's AP/PA images (at least one)
     * @param tokenFilter whether to apply the 3-token filter (off for studies given by {@code --splits-from}, whose
     *                    selection was made by stanza's count)
     */
    Outcome process(String split, MimicTables.StudyKey key, List<MimicTables.Image> frontal, boolean tokenFilter) {
        String subject = Long.toString(key.subject());
        String study = Long.toString(key.study());
        String studyDir = studyDir(subject, study);
        List<Issue> issues = new ArrayList<>();

        ReportStore.Read read = reports.read(studyDir + ".txt");
        if (read instanceof ReportStore.Missing m) {
            return skip(issues, split, Issue.Reason.REPORT_MISSING, subject, study, m.location(), "");
        }
        if (read instanceof ReportStore.Unreadable u) {
            return skip(issues, split, Issue.Reason.REPORT_UNREADABLE, subject, study, u.location(), u.reason());
        }
        String text = ((ReportStore.Text) read).text();
        String reportFile = studyDir + ".txt";
        if (MimicSectionParser.isCustomRuleStudy("s" + study)) {
            return skip(issues, split, Issue.Reason.CUSTOM_RULE_STUDY, subject, study, reportFile, "");
        }
        MimicSectionParser.FindingsImpression sections = MimicSectionParser.findingsAndImpression(text, "s" + study);
        if (sections == null) {
            return skip(issues, split, Issue.Reason.NO_SECTIONS, subject, study, reportFile, "");
        }
        ReportSentenceSplitter.Result findings = splitter.split(sections.findings());
        ReportSentenceSplitter.Result impression = splitter.split(sections.impression());
        int numSentences = findings.sentences().size() + impression.sentences().size();
        int numTokens = findings.numTokens() + impression.numTokens();
        if (numSentences == 0) {
            return skip(issues, split, Issue.Reason.NO_SENTENCES, subject, study, reportFile, "");
        }
        if (tokenFilter && numTokens < MIN_TOKENS) {
            return skip(issues, split, Issue.Reason.TOO_FEW_TOKENS, subject, study, reportFile,
                    numTokens + " tokens");
        }

        List<PreparedStudy.View> views = new ArrayList<>();
        List<PixelStats.MeanVar> viewStats = new ArrayList<>();
        Integer studyDate = null;
        for (MimicTables.Image im : frontal) {
            studyDate = im.studyDate();
            String rel = studyDir + "/" + im.dicom() + ".jpg";
            Path file = imagesRoot.resolve(rel);
            if (!Files.exists(file)) {
                issues.add(new Issue(split, Issue.Reason.IMAGE_MISSING, subject, study, im.dicom(), rel, ""));
                continue;
            }
            JpegInspector.Result r = JpegInspector.inspect(file);
            if (r instanceof JpegInspector.Failed f) {
                issues.add(new Issue(split, Issue.Reason.IMAGE_UNREADABLE, subject, study, im.dicom(), rel,
                        f.reason()));
                continue;
            }
            JpegInspector.Ok ok = (JpegInspector.Ok) r;
            if (ok.truncated()) {
                issues.add(new Issue(split, Issue.Reason.IMAGE_TRUNCATED, subject, study, im.dicom(), rel, ""));
            }
            // str(NaN) in the original: an empty ViewCodeSequence_CodeMeaning is stored as "nan".
            String viewName = im.viewName() == null || im.viewName().isEmpty() ? "nan" : im.viewName();
            views.add(new PreparedStudy.View(im.dicom(), im.view(), viewName, ok.width(), ok.height(),
                    (float) ok.stats().mean(), (float) ok.stats().variance()));
            viewStats.add(ok.stats());
        }
        if (views.isEmpty()) {
            return skip(issues, split, Issue.Reason.NO_READABLE_IMAGE, subject, study, studyDir + "/", "");
        }
        // Study statistics from the float64 view statistics, as np.mean/np.var over Python floats; then float32.
        double[] means = new double[views.size()];
        double[] vars = new double[views.size()];
        for (int i = 0; i < views.size(); i++) {
            means[i] = viewStats.get(i).mean();
            vars[i] = viewStats.get(i).variance();
        }
        PixelStats.MeanVar scan = PixelStats.pool(means, vars);

        ChexpertLabels.Value[] labels = chexpert.get(key);
        if (labels == null) {
            return skip(issues, split, Issue.Reason.NO_CHEXPERT_ROW, subject, study, studyDir, "");
        }
        int[] classes = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            String name = ChexpertLabels.ALL.get(i);
            if (name.equals("No Finding") && labels[i] != ChexpertLabels.Value.POSITIVE
                    && labels[i] != ChexpertLabels.Value.BLANK) {
                issues.add(new Issue(split, Issue.Reason.NO_FINDING_VALUE, subject, study, "", "",
                        labels[i].name().toLowerCase(java.util.Locale.ROOT)));
            }
            classes[i] = ChexpertLabels.classIndex(name, labels[i]);
        }
        PreparedStudy prepared = new PreparedStudy(subject, study, studyDate, views, (float) scan.mean(),
                (float) scan.variance(), text, findings, impression, classes, ChexpertLabels.binaryUOnes(labels));
        return new Outcome(prepared, issues);
    }

    /** {@code pXX/pSUBJECT/sSTUDY}, the study's folder below {@code files/}. */
    static String studyDir(String subject, String study) {
        return "p" + subject.substring(0, Math.min(2, subject.length())) + "/p" + subject + "/s" + study;
    }

    private static Outcome skip(List<Issue> issues, String split, Issue.Reason reason, String subject, String study,
                                String file, String detail) {
        issues.add(new Issue(split, reason, subject, study, "", file, detail));
        return new Outcome(null, issues);
    }
}
