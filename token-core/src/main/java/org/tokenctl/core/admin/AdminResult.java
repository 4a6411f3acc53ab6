package org.tokenctl.core.admin;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.token.TokenInfo;

/**
 * What an administrative operation leaves behind once its change is made. The
 * change is done when this is returned; reading the token's state afterwards is
 * only a report, so a failure there is carried here rather than thrown (throwing
 * would tell the caller the change failed when it did not).
 *
 * @param after the token's state after the change, or null when it could not be read
 * @param followUpFailure why the state could not be read, or a follow-up step (such as
 *                        clearing the attempt guard) failed; null when all went well
 */
public record AdminResult(TokenInfo after, TokenctlException followUpFailure) {

    /**
     * Reads the token's state after a committed change, without letting a failure undo the report.
     *
     * @param token the token
     * @param earlier a follow-up failure already met, or null
     * @return the result
     */
    static AdminResult readAfter(Token token, TokenctlException earlier) {
        try {
            return new AdminResult(token.info(), earlier);
        } catch (Pkcs11CallException e) {
            return new AdminResult(null, earlier != null ? earlier : e);
        }
    }
}
