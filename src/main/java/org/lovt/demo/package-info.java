/**
 * The built-in synthetic demo, a script over the public API.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.demo;
