/**
 * The report side: BERT, the WordPiece tokenizer (DJL, offline), report packing and augmentation.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.text;
