/**
 * Certificate requests (PKCS#10): subject names and subject alternative names as
 * operators type them, checked against the rules CAs and OpenSSL enforce, and the
 * request signed by the token and verified before anyone else sees it.
 */
package org.tokenctl.core.csr;
