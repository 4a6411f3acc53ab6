package org.tokenctl.core.key;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The BouncyCastle JCA provider tokenctl uses, as an instance: a library must not
 * register providers in the JVM-wide list ({@code Security.addProvider}) behind
 * its caller's back. BouncyCastle is used explicitly where the JDK's providers
 * fall short (ECDSA verification through BouncyCastle's operator API, PBES2 for
 * PKCS#12).
 */
public final class CryptoProvider {

    /** The shared provider instance (thread-safe). */
    public static final Provider BC = new BouncyCastleProvider();

    private CryptoProvider() {
    }
}
