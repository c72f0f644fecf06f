/**
 * Comparisons of this library's tensors against PyTorch reference files (lovt verify).
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.verify;
