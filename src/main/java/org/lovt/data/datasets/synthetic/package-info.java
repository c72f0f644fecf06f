/**
 * Synthetic paired chest X-ray data: images that look like frontal radiographs, reports that describe them, and
 * the localisation ground truth linking the two, generated deterministically from a seed. It lets the demo pre-train
 * LoVT without any data set and then measure whether report sentences attend to the right image regions.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * SyntheticSample s = SyntheticCxr.generate(seed, index);            // 224 x 224; generate(seed, index, size)
 * List<SyntheticDataset> splits = SyntheticDataset.splits(seed, 5000, 500, 500, 224); // train, validation, test
 * SyntheticWriter.write(Path.of("synthetic"), splits);                // PNGs, masks, reports.jsonl, ground_truth.json
 * Dataset<ScanReportSample> train = SyntheticFolder.open(Path.of("synthetic/train"));
 * // for `lovt prepare mimic-cxr synthetic-mimic --out ...`:
 * MimicCxrExport.export(Path.of("synthetic-mimic"), splits, MimicCxrExport.Layout.SAMPLE);
 * }</pre>
 *
 * <h2>What an image contains</h2>
 * A body (neck, shoulders, trunk, sometimes arms) with two lung fields, heart, mediastinum, trachea, spine, ribs,
 * clavicles, diaphragm domes, gastric bubble, vessels and parenchymal texture; patient size, position, heart size,
 * exposure window, gamma, gradient and noise vary. 0-3 findings ({@link org.lovt.data.datasets.synthetic.FindingType}:
 * opacity, nodule, basal effusion, plate-like atelectasis, central line) at anatomical zones; 20 % of the patients
 * have an enlarged heart and 12 % pulmonary edema (diffuse, without a zone). Findings are several times the noise
 * brighter than the same image without them; the exposure window is fitted to the anatomy before any finding is
 * drawn, so the global brightness does not give them away.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Orientation: radiological, the patient's right on the image left ({@link
 *       org.lovt.data.datasets.synthetic.Side}), in masks, boxes, zones and text alike.</li>
 *   <li>Zones: side by the body midline, level by thirds of that lung field's height ({@link
 *       org.lovt.data.datasets.synthetic.LungZones}). A finding's zone is the zone of its anchor: the mask
 *       centroid, or for a central line (which runs from the neck across zones) its tip.</li>
 *   <li>Masks: what the finding visibly changes, inside its lung field (a line: inside the body); boxes are the
 *       masks' tight boxes, {@code [x, y, w, h]} in pixels.</li>
 *   <li>Text: one sentence per finding naming its type and zone, hedged ("Possible ...") for 15 % of lung
 *       findings; a heart-size sentence; an edema sentence when present; normal or negative statements about
 *       what is absent (2-5 of them); all shuffled as FINDINGS, then one IMPRESSION sentence. Every sentence
 *       records the finding it describes, or -1.</li>
 *   <li>Labels: the 14 MIMIC-CXR CheXpert columns follow from the sentences ({@link
 *       org.lovt.data.datasets.synthetic.ChexpertLabels}): opacity → Consolidation + Lung Opacity, nodule → Lung
 *       Lesion, effusion → Pleural Effusion, atelectasis → Atelectasis, line → Support Devices, enlarged
 *       heart → Cardiomegaly, edema → Edema; hedged → -1.0; negative statements → 0.0. The five pre-training
 *       labels are their U-ones binarisation.</li>
 * </ul>
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data.datasets.synthetic;
