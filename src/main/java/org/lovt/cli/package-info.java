/**
 * The lovt command line: each command parses its arguments and calls the library.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. The stable interfaces are the command line itself and {@code org.lovt.api}.
 */
package org.lovt.cli;
