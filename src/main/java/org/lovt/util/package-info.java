/**
 * Small utilities: atomic files and folders, CSV (Apache Commons CSV with pandas-compatible quoting), the progress line.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.util;
