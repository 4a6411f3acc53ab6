package org.tokenctl.cli.options;

import java.util.ArrayList;
import java.util.List;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.key.HashAlgorithm;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import picocli.CommandLine.Option;

/**
 * What a certificate request asks for besides its subject: the key spec, the
 * hash of the request's signature and the subject alternative names. Shared by
 * {@code enroll} and {@code batch-enroll} (where a manifest row may override the
 * key spec and the names).
 */
public final class KeyRequestOptions {

    @Option(names = "--san", paramLabel = "TYPE:VALUE",
            description = "Subject alternative name (repeatable): email:ADDR, dns:NAME, uri:URI or ip:ADDRESS.")
    private List<String> sans = new ArrayList<>();

    @Option(names = "--key-spec", paramLabel = "SPEC", completionCandidates = Completions.KeySpecs.class,
            description = "rsa:2048 (default), rsa:3072, rsa:4096, ec:p256, ec:p384 or sm2 (on tokens whose"
                    + " vendor profile gives its SM2 constants).")
    private String keySpec;

    @Option(names = "--hash", paramLabel = "HASH", completionCandidates = Completions.Hashes.class,
            description = "Hash of the request's signature: sha256, sha384 or sha512 (default: sha384 for ec:p384,"
                    + " sm3 for sm2, else sha256).")
    private String hash;

    @Option(names = "--sign-recover", description = "Let the new private key also sign with message recovery"
            + " (CKA_SIGN_RECOVER; CKA_VERIFY_RECOVER on the public key). Off by default: certificate requests and"
            + " TLS never use it. Token only.")
    private boolean signRecover;

    /** @return whether --sign-recover was given */
    public boolean signRecover() {
        return signRecover;
    }

    /** @return the --san values, as given */
    public List<String> sans() {
        return sans;
    }

    /** @return the --key-spec value as given, or null when the option was not given */
    public String keySpec() {
        return keySpec;
    }

    /**
     * @return the key spec asked for, {@link KeySpec#DEFAULT} when none
     * @throws InvalidInputException if it is not one tokenctl knows
     */
    public KeySpec spec() throws InvalidInputException {
        return keySpec == null ? KeySpec.DEFAULT : KeySpec.parse(keySpec);
    }

    /**
     * @return the --hash asked for, or null for the key type's default
     * @throws InvalidInputException if it is unknown
     */
    public HashAlgorithm hash() throws InvalidInputException {
        return hash == null ? null : HashAlgorithm.parse(hash);
    }

    /**
     * @param spec the key spec the request is for
     * @return the signature algorithm for it, with --hash if given
     * @throws InvalidInputException if the hash is unknown or does not suit the key
     */
    public SignatureAlgorithm signatureAlgorithm(KeySpec spec) throws InvalidInputException {
        HashAlgorithm h = hash == null ? null : HashAlgorithm.parse(hash);
        spec.checkHash(h);
        return spec.signatureAlgorithm(h);
    }
}
