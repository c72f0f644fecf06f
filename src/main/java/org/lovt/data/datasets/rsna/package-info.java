/**
 * RSNA pneumonia: preparation of the downstream data set.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data.datasets.rsna;
