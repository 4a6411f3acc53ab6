package org.tokenctl.cli.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * One row of a batch-enrollment manifest, as written (checked for shape, not yet
 * for meaning). Absent values are null; the command's options supply defaults.
 *
 * @param line where the row starts in the manifest (1-based), for messages
 * @param serial the token's serial number, or null
 * @param tokenLabel the token's label, or null
 * @param subject the certificate subject (RFC 4514), or null
 * @param keySpec the key spec (rsa:2048, ec:p256...), or null
 * @param label the key's CKA_LABEL, or null
 * @param sans subject alternative names (TYPE:VALUE), or null
 * @param pinFile this token's own PIN file (relative paths taken against the manifest's directory), or null
 * @param pinEnv this token's own PIN variable, or null
 */
public record ManifestEntry(int line, String serial, String tokenLabel, String subject, String keySpec, String label,
                            List<String> sans, Path pinFile, String pinEnv) {

    /** @return how the row names its token, for messages: "serial X" or "token label 'Y'" */
    public String tokenName() {
        return serial != null ? "serial " + serial : "token label '" + tokenLabel + "'";
    }
}
