/**
 * Certificates on and for the token: checking that a certificate conforms (RFC 5280)
 * and belongs to a key on the token, and installing it beside that key with the same
 * {@code CKA_ID} and label, read back before it counts as done.
 */
package org.tokenctl.core.cert;
