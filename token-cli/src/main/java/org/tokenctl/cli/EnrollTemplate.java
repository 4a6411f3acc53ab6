package org.tokenctl.cli;

import java.util.List;
import java.util.stream.Collectors;

import org.tokenctl.cli.batch.ManifestEntry;
import org.tokenctl.cli.batch.Placeholders;
import org.tokenctl.cli.options.KeyRequestOptions;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.csr.SubjectAltNames;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.KeySource;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.TokenKeyGenerator;
import org.tokenctl.core.token.TokenInfo;

/**
 * What each token of a batch or a station is enrolled with: the subject, label, key
 * spec and alternative names given as options (with {@code {serial}} and
 * {@code {label}} filled in for each token), unless its manifest row says otherwise.
 *
 * @param subject the --subject template, or null
 * @param label the --label template
 * @param key the key options (--key-spec, --hash, --san, --sign-recover)
 * @param installChain whether the CA chain is installed too
 */
record EnrollTemplate(String subject, String label, KeyRequestOptions key, boolean installChain) {

    /**
     * @param info the token
     * @param row its manifest row, or null
     * @return its enrollment request
     * @throws TokenctlException if a value is unusable (no subject, a bad DN, label or key spec)
     */
    EnrollmentRequest request(TokenInfo info, ManifestEntry row) throws TokenctlException {
        String serial = info.serial();
        String tokenLabel = info.label();
        String dn = Placeholders.fillDn(row != null && row.subject() != null ? row.subject() : subject, serial,
                tokenLabel);
        if (dn == null) {
            throw new InvalidInputException("subject", "No subject: give --subject or a subject in the manifest");
        }
        KeySpec spec = row != null && row.keySpec() != null ? KeySpec.parse(row.keySpec()) : key.spec();
        String keyLabel = Placeholders.fill(row != null && row.label() != null ? row.label() : label, serial,
                tokenLabel);
        TokenKeyGenerator.checkLabel(keyLabel);
        List<String> names = row != null && row.sans() != null ? row.sans() : key.sans();
        return new EnrollmentRequest(new KeySource.Generate(spec, null, key.signRecover()),
                key.signatureAlgorithm(spec).hash(), keyLabel, SubjectName.parse(dn),
                SubjectAltNames.parse(names.stream().map(n -> Placeholders.fill(n, serial, tokenLabel))
                        .collect(Collectors.toList())), installChain);
    }
}
