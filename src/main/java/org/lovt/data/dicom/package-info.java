/**
 * A strict, small DICOM Part 10 reader (and a tiny writer for tests), enough for the chest X-ray datasets of the
 * evaluation (RSNA Pneumonia, SIIM-ACR Pneumothorax: 8-bit 1024² DICOM whose {@code pixel_array} is used as is).
 *
 * <p>Entry points: {@link org.lovt.data.dicom.DicomFile#read(java.nio.file.Path)} for the dataset and
 * {@link org.lovt.data.dicom.DicomFile#pixels()} for a {@link org.lovt.data.dicom.PixelArray} in pydicom 2.3.1's
 * {@code pixel_array} convention; {@link org.lovt.data.dicom.DicomInspect} for {@code lovt inspect};
 * {@link org.lovt.data.dicom.DicomWriter} to make files.
 *
 * <p>What is read: preamble + {@code DICM} + file meta (group 0002, explicit VR little endian); datasets in Implicit
 * VR Little Endian, Explicit VR Little/Big Endian and Deflated Explicit VR Little Endian; sequences of defined and
 * undefined length. Pixel Data: native (Bits Allocated 1, 8, 16, 32; signed or unsigned; either byte order; planar
 * configuration 0 or 1; YBR_FULL_422 upsampled as pydicom does), RLE Lossless, and 8-bit JPEG (Baseline and 8-bit
 * Extended) through OpenCV. JPEG 2000, JPEG-LS, lossless JPEG and video transfer syntaxes are refused with
 * {@code "unsupported transfer syntax UID (name)"}.
 *
 * <p>Robustness: every declared length is checked against the bytes left before anything is allocated, nesting
 * and decoded sizes are bounded, native code only sees validated JPEG headers, and every failure on bad input is a
 * {@link org.lovt.data.dicom.DicomException} naming the file (a deterministic fuzz test holds the reader to it).
 *
 * <p>Reference: the pydicom 2.3.1 test files under {@code testdata/data/dicom} (see its README); all lossless ones
 * decode bit for bit, and so do the four JPEG Baseline ones.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data.dicom;
