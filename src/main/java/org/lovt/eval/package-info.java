/**
 * Downstream heads and metrics: linear segmentation, the frozen-feature linear probe, Dice.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.eval;
