package org.tokenctl.cli;

import org.tokenctl.cli.options.TokenOptions;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.core.uri.Pkcs11Uri;
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
    static final String DEFAULT_SELECTION = "Without --token-label, --serial, --slot or --uri, the only initialised"
            + " token is used; uninitialised ones (SoftHSM's free slot, a blank card) are not counted.";

    @ArgGroup(exclusive = true, heading = "Token selection:%n")
    private TokenOptions token;

    /**
     * @return the token the selection options name (the only initialised token when none was given)
     * @throws InvalidInputException if --token-label or --serial is empty
     */
    protected final TokenSelector selector() throws InvalidInputException {
        Pkcs11Uri uri = TokenOptions.uri(token);
        if (uri != null && uri.namesObject() && !namesObjects()) {
            throw new InvalidInputException("uri", "This command works on a token, not an object: leave id=,"
                    + " object= and type= out of --uri");
        }
        Pkcs11Uri keyToken = keyUriToken();
        if (keyToken != null) {
            if (token != null) {
                throw new InvalidInputException("uri", "The key's pkcs11: URI names its token already: leave"
                        + " --slot, --token-label, --serial and --uri out, or the token attributes out of the URI");
            }
            return TokenSelector.uri(keyToken);
        }
        return TokenOptions.selector(token);
    }

    /**
     * @return whether the command names objects with the object part of --uri ({@code id=}, {@code object=},
     *         {@code type=}); if not, a --uri holding them is refused
     */
    protected boolean namesObjects() {
        return false;
    }

    /**
     * @return the --uri given, parsed, or null
     * @throws InvalidInputException if it is not a URI tokenctl can honour
     */
    protected final Pkcs11Uri uri() throws InvalidInputException {
        return TokenOptions.uri(token);
    }

    /**
     * @return the token part of a pkcs11: URI that names a key (--key-id, --cmp-kur), when it names a token;
     *         null otherwise
     * @throws InvalidInputException if such a URI is not one tokenctl can honour
     */
    protected Pkcs11Uri keyUriToken() throws InvalidInputException {
        return null;
    }

    /** @return whether a token selection option was given */
    protected final boolean tokenSelected() {
        return token != null;
    }

    /**
     * The token the options select, knowing its profile's SM2 constants.
     *
     * @param m the open module
     * @return the selected token
     * @throws TokenctlException if none or several match
     */
    protected final Token selectToken(Pkcs11Module m) throws TokenctlException {
        Token t = m.token(selector());
        profile(t);
        return t;
    }
}
