package org.tokenctl.cli.batch;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.cli.ExitCode;

/**
 * How one token of a batch fared.
 *
 * @param serial the token's serial number
 * @param tokenLabel the token's label
 * @param outcome what happened
 * @param keyId the enrolled key's CKA_ID (hex), or null
 * @param certificate the token's certificate for the subject (new or found), or null
 * @param error one line saying what went wrong, or null
 * @param exitCode the exit code {@code tokenctl enroll} would have had for this token
 * @param millis how long the token took
 * @param renewals renew: the certificates renewed on the token, in order (else empty)
 */
public record BatchResult(String serial, String tokenLabel, Outcome outcome, String keyId,
                          X509CertificateHolder certificate, String error, ExitCode exitCode, long millis,
                          java.util.List<org.tokenctl.core.enroll.Renewal.Result> renewals) {

    /**
     * A result with no renewals (enrollment, or a token that failed or was skipped).
     *
     * @param serial the token's serial number
     * @param tokenLabel the token's label
     * @param outcome what happened
     * @param keyId the key's CKA_ID (hex), or null
     * @param certificate the certificate, or null
     * @param error one line, or null
     * @param exitCode the exit code for this token
     * @param millis how long the token took
     */
    public BatchResult(String serial, String tokenLabel, Outcome outcome, String keyId,
                       X509CertificateHolder certificate, String error, ExitCode exitCode, long millis) {
        this(serial, tokenLabel, outcome, keyId, certificate, error, exitCode, millis, java.util.List.of());
    }
}
