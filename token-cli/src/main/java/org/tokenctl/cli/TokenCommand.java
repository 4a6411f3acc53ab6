package org.tokenctl.cli;

import org.tokenctl.cli.options.TokenOptions;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.token.TokenSelector;
import picocli.CommandLine.ArgGroup;

/**
 * What every command that works on one token shares: {@link ModuleCommand}'s
 * options and the token selection.
 */
abstract class TokenCommand extends ModuleCommand {

    /**
     * The default selection, for the help of the commands that use {@link #selectToken}
     * (init has its own: the only token, or else the only uninitialised one).
     */
    static final String DEFAULT_SELECTION = "Without --token-label, --serial or --slot, the only initialised token "
            + "is used; uninitialised ones (SoftHSM's free slot, a blank card) are not counted.";

    @ArgGroup(exclusive = true, heading = "Token selection:%n")
    private TokenOptions token;

    /**
     * @return the token the selection options name (the only initialised token when none was given)
     * @throws InvalidInputException if --token-label or --serial is empty
     */
    protected final TokenSelector selector() throws InvalidInputException {
        return TokenOptions.selector(token);
    }

    /** @return whether a token selection option was given */
    protected final boolean tokenSelected() {
        return token != null;
    }

    /**
     * @param m the open module
     * @return the selected token
     * @throws TokenctlException if none or several match
     */
    protected final Token selectToken(Pkcs11Module m) throws TokenctlException {
        return m.token(selector());
    }
}
