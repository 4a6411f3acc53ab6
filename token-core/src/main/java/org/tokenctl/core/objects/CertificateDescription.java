package org.tokenctl.core.objects;

import java.time.Instant;

/**
 * An X.509 certificate object, decoded from its CKA_VALUE.
 *
 * @param subject subject DN (RFC 4514)
 * @param issuer issuer DN (RFC 4514)
 * @param serialHex serial number in lower-case hex
 * @param notBefore start of validity
 * @param notAfter end of validity (expiry)
 */
public record CertificateDescription(String subject, String issuer, String serialHex, Instant notBefore,
                                     Instant notAfter) {
}
