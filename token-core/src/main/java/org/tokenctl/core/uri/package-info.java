/**
 * RFC 7512 {@code pkcs11:} URIs: reading the ones operators paste from OpenSSL,
 * p11tool or p11-kit (strictly, refusing what tokenctl cannot honour, a PIN above
 * all), and writing the URI of each token and object tokenctl shows.
 */
package org.tokenctl.core.uri;
