package org.tokenctl.core.csr;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/**
 * A request signed on the token does not verify against the token's own public
 * key: the token (or its module) produced a wrong signature. Nothing signed by it
 * is let out.
 */
public class CsrSignatureException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /**
     * @param keyDescription the key, e.g. "RSA 2048 key id ab01..."
     */
    public CsrSignatureException(String keyDescription) {
        super("The certificate request signed by the token does not verify against the token's public key ("
                + keyDescription + "); the token or its module is faulty");
    }

    /** @return {@link Failure#TOKEN_ERROR} */
    @Override
    public Failure failure() {
        return Failure.TOKEN_ERROR;
    }
}
