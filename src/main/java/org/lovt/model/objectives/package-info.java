/**
 * LoVT's objectives: the global InfoNCE loss, the local intra-sample contrastive losses and the cross-sample extension.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.model.objectives;
