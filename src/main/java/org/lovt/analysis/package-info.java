/**
 * Analysis of trained models: the pointing game and its controls, attention overlays, charts, the original's
 * embedding statistics (every space and pair of the original; not wired into validation yet).
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.analysis;
