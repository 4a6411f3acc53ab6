/**
 * Reading and writing files safely: every input file through one reader that refuses
 * special files and oversized content and never quotes content in a message, every
 * output through one atomic, owner-only-when-secret writer, and PEM, key and
 * properties formats on top of them.
 */
package org.tokenctl.core.io;
