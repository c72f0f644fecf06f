/**
 * The scan side: ResNet-50 (torchvision layout) and its building blocks.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.vision;
