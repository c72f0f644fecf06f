/**
 * MIMIC-CXR for pre-training (spec lovt-data-eval §1, lovt-model §2.3 and §5): {@link
 * org.lovt.data.datasets.mimic.MimicCxrPreparer} builds LoVT's {@code mimic-cxr_ap-pa} dataset from MIMIC-CXR-JPG
 * 2.0.0 and the MIMIC-CXR reports as distributed ({@code lovt prepare mimic-cxr}), and {@link
 * org.lovt.data.datasets.mimic.MimicCxrDataset} reads one split of it as
 * {@link org.lovt.data.ScanReportSample}s.
 *
 * <p>The pieces, each a port of one part of the original: {@link org.lovt.data.datasets.mimic.MimicSectionParser}
 * (the official MIMIC-CXR section rules), {@link org.lovt.data.datasets.mimic.ReportSentenceSplitter} (ICU4J in
 * place of stanza; see {@code docs/sentence-splitting.md}), {@link org.lovt.data.datasets.mimic.ChexpertLabels}
 * (stored classes and U-ones), {@link org.lovt.data.datasets.mimic.PixelStats} (per image, study and split).
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data.datasets.mimic;
