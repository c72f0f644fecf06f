/**
 * Reusable modules with the original's names: attention pooling, MLPs, cross-attention, initialisation.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.nn;
