/**
 * Certificate issuers: the local development CA, the offline path (a request written
 * out, the certificate imported later) and the interface a CMP client implements.
 * An issuer turns a verified request into a certificate chain.
 */
package org.tokenctl.core.issue;
