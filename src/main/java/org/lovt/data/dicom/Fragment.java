package org.lovt.data.dicom;

/**
 * One item of encapsulated Pixel Data: the first is the Basic Offset Table, the others are compressed fragments.
 *
 * @param itemOffset  offset of the item tag in the (possibly inflated) stream
 * @param valueOffset offset of the first value byte
 * @param length      number of value bytes
 */
record Fragment(int itemOffset, int valueOffset, int length) {}
