/**
 * Tensor files: safetensors, torch.save zip and legacy pickles, reading and writing.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.torch.io;
