/**
 * Datasets, the multi-threaded DataLoader and the pre-training pipeline.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data;
