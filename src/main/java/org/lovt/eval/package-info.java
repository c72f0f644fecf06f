/**
 * Downstream evaluation: the frozen-feature linear probe; the protocol, heads and metrics live in the sub-packages.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.eval;
