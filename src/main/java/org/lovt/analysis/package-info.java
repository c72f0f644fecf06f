/**
 * Analysis of trained models: the pointing game and its controls, attention overlays, charts, the original's
 * embedding statistics (global and local spaces so far).
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.analysis;
