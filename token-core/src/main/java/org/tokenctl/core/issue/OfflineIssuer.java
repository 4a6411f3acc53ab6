package org.tokenctl.core.issue;

import java.nio.file.Path;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.SafeFiles;

/**
 * Writes the request to a PEM file for a CA to answer out of band; the key stays
 * (on the token) so that {@code import-cert} can install the certificate later.
 */
public final class OfflineIssuer implements CertificateIssuer {

    private final Path csrFile;
    private final boolean overwrite;

    /**
     * @param csrFile where to write the request (PEM "CERTIFICATE REQUEST")
     * @param overwrite whether an existing file may be replaced
     */
    public OfflineIssuer(Path csrFile, boolean overwrite) {
        this.csrFile = csrFile;
        this.overwrite = overwrite;
    }

    /**
     * @throws org.tokenctl.core.InvalidInputException if the file exists (without overwrite) or its directory
     *                                                 is missing or read-only
     */
    @Override
    public void preflight() throws TokenctlException {
        SafeFiles.requireWritable(csrFile, overwrite, "csr-out");
    }

    /**
     * @throws org.tokenctl.core.InvalidInputException if the file cannot be written
     */
    @Override
    public Issuance issue(CertificateRequest request) throws TokenctlException {
        SafeFiles.write(csrFile, Pem.encodeBytes(request.csr()), overwrite, false, "csr-out");
        return new Issuance.Deferred(csrFile.toString());
    }
}
