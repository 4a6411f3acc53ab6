/**
 * The PKCS#12 file medium: the same enrollment into a password-protected file with a
 * software key, for clients without a token. The key is exportable by nature; the
 * tools say so.
 */
package org.tokenctl.core.filemedium;
