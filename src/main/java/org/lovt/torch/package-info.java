/**
 * The libtorch layer: native loading and isolation, scopes, tensors, devices, seeds, the CPU kernel check.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.torch;
