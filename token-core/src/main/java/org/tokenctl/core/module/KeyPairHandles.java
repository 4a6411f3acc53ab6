package org.tokenctl.core.module;

/**
 * The object handles of a key pair that {@link TokenSession#generateKeyPair} made.
 * Handles are valid in the session's module only, for as long as the objects exist.
 *
 * @param publicKey the public key's handle
 * @param privateKey the private key's handle
 */
public record KeyPairHandles(long publicKey, long privateKey) {
}
