package org.tokenctl.core.enroll;

import java.util.Objects;

import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectQuery;

/** Where an enrollment's key pair comes from: generated now, or already on the token. */
public sealed interface KeySource permits KeySource.Generate, KeySource.Existing {

    /**
     * Generate a new pair on the medium (non-exportable on a token).
     *
     * @param spec the key type
     * @param id the CKA_ID (token) or PKCS#12 localKeyId, or null for the default
     *           ({@link org.tokenctl.core.key.PublicKeys#defaultId})
     * @param signRecover whether the private key may also sign with message recovery (CKA_SIGN_RECOVER, and
     *                    CKA_VERIFY_RECOVER on the public key); a token medium only
     */
    record Generate(KeySpec spec, KeyId id, boolean signRecover) implements KeySource {
        /**
         * Checks that the spec is present.
         *
         * @param spec the key type
         * @param id the CKA_ID (token) or PKCS#12 localKeyId, or null for the default ({@link
         *           org.tokenctl.core.key.PublicKeys#defaultId})
         * @param signRecover whether the private key may also sign with message recovery
         */
        public Generate {
            Objects.requireNonNull(spec, "spec");
        }

        /**
         * A key that signs, without message recovery.
         *
         * @param spec the key type
         * @param id the CKA_ID (token) or PKCS#12 localKeyId, or null for the default
         */
        public Generate(KeySpec spec, KeyId id) {
            this(spec, id, false);
        }
    }

    /**
     * Use the pair already on the token that the query names (by CKA_ID, CKA_LABEL or both; see
     * {@link org.tokenctl.core.key.ExistingKeys#resolve}). It is checked as a generated key is read back
     * ({@link org.tokenctl.core.key.ExistingKeys}) and is never deleted, whatever fails.
     *
     * @param key what names the pair's private key
     */
    record Existing(ObjectQuery key) implements KeySource {
        /**
         * Checks that the query is present.
         *
         * @param key what names the pair's private key
         */
        public Existing {
            Objects.requireNonNull(key, "key");
        }

        /**
         * The pair with this CKA_ID.
         *
         * @param id the pair's CKA_ID
         */
        public Existing(KeyId id) {
            this(ObjectQuery.id(Objects.requireNonNull(id, "id")));
        }
    }
}
