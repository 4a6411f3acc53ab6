package org.tokenctl.cli;

import java.nio.file.Path;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.PinState;
import org.tokenctl.core.token.TokenFlag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code tokenctl} command: subcommands do the work; this holds what they share. */
@Command(name = "tokenctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Provision PKCS#11 tokens: initialise, change PINs, generate non-exportable keys, "
                + "enroll certificates.",
        subcommands = {
            ListCommand.class,
            InitCommand.class,
            EnrollCommand.class,
            ImportCertCommand.class,
            CaCommand.class,
            picocli.AutoComplete.GenerateCompletion.class
        },
        footerHeading = "%nModule:%n",
        footer = {"  tokenctl loads the PKCS#11 module named by --module, else $TOKENCTL_MODULE, else SoftHSM2.",
            "  PINs are never taken from the command line: use --pin-file, --pin-env, --pin-stdin or the prompt."})
public final class TokenctlCommand implements Runnable {

    private final CliContext ctx;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log PKCS#11 calls (never PINs) and show stack traces on stderr.")
    private boolean verbose;

    TokenctlCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "Missing command (try tokenctl --help)");
    }

    /** @return the process context */
    CliContext ctx() {
        return ctx;
    }

    /** @return whether --verbose was given */
    boolean verbose() {
        return verbose;
    }

    /**
     * Loads the module a command names (or the default, with a note on stderr).
     *
     * @param option the --module value, or null
     * @return the open module; close it when done
     * @throws CliException if no module can be located
     * @throws TokenctlException if it cannot be loaded or initialised
     */
    Pkcs11Module openModule(Path option) throws CliException, TokenctlException {
        return Pkcs11Module.open(ModuleLocator.locate(option, ctx));
    }

    /**
     * Logs a session in, reading the PIN from its source; on a token with a PIN
     * pad and no explicit source, the PIN is entered on the pad.
     *
     * @param session the session
     * @param type user or SO
     * @param source where the PIN comes from
     * @param allowFinalTry --allow-final-try
     * @throws CliException if the PIN source is unusable
     * @throws TokenctlException if the login fails
     */
    void login(TokenSession session, UserType type, PinSource source, boolean allowFinalTry)
            throws CliException, TokenctlException {
        LoginOptions options = loginOptions(allowFinalTry);
        if (!source.explicit() && session.token().info().has(TokenFlag.PROTECTED_AUTHENTICATION_PATH)) {
            ctx.err().println("tokenctl: enter the " + type.pinName() + " on the token's PIN pad");
            session.login(type, null, options);
            return;
        }
        try (Pin pin = new PinReader(ctx).read(source)) {
            session.login(type, pin, options);
        }
    }

    /**
     * The login rules for this invocation: refuse the initial PIN, never spend a
     * final try unless allowed, warn on stderr about COUNT_LOW.
     *
     * @param allowFinalTry --allow-final-try
     * @return the options
     */
    LoginOptions loginOptions(boolean allowFinalTry) {
        return LoginOptions.defaults(AttemptGuard.disabled()).withAllowFinalTry(allowFinalTry)
                .withObserver((type, info) -> {
                    PinState s = (type == UserType.USER ? info.userPin() : info.soPin()).state();
                    if (s == PinState.COUNT_LOW) {
                        ctx.err().println("tokenctl: warning: the token reports wrong " + type.pinName()
                                + " entries; few tries may be left");
                    }
                });
    }
}
