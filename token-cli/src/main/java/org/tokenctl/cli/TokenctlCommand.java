package org.tokenctl.cli;

import java.nio.file.Path;

import org.tokenctl.cli.options.ModuleOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.enroll.Cancellation;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.FileAttemptGuard;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.profile.ModuleCandidates;
import org.tokenctl.core.profile.OperatingSystem;
import org.tokenctl.core.profile.ProfileRegistry;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.PinState;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code tokenctl} command: subcommands do the work; this holds what they share. */
@Command(name = "tokenctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Provision PKCS#11 tokens: initialise, change PINs, generate non-exportable keys, "
                + "enroll certificates.",
        footerHeading = "%nModule:%n",
        footer = {"  tokenctl loads the PKCS#11 module named by --module, else $TOKENCTL_MODULE,",
            "  else SoftHSM2. PINs are never taken from the command line: use --pin-file,",
            "  --pin-env, --pin-stdin or the prompt."})
public final class TokenctlCommand implements Runnable {

    /** Names the profile for every command, like --profile. */
    static final String PROFILE_ENV = "TOKENCTL_PROFILE";

    private final CliContext ctx;
    private final Cancellation cancellation = new Cancellation();
    private AttemptGuard guard;
    private ProfileRegistry profiles;
    private VendorProfile explicitProfile;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log PKCS#11 calls (never PINs) and show stack traces on stderr.")
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    private Integer timeout;

    @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
            description = "Give up when the token has not answered after SECONDS (default: $TOKENCTL_TIMEOUT, else "
                    + "300). A PKCS#11 call cannot be interrupted: tokenctl exits (code 18) naming the call.")
    private void timeout(int seconds) {
        if (seconds <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--timeout must be a positive number of seconds; got " + seconds);
        }
        timeout = seconds;
    }

    TokenctlCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "Missing command (try tokenctl --help)");
    }

    /** @return what stops this process's enrollments (a signal, see {@link Main}) */
    Cancellation cancellation() {
        return cancellation;
    }

    /** @return the process context */
    CliContext ctx() {
        return ctx;
    }

    /** @return --timeout, or null */
    Integer timeout() {
        return timeout;
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
        // the profiles are parsed only when SoftHSM's standard path is needed (start-up time of `list`)
        VendorProfile softhsm = option == null && ctx.getenv(ModuleLocator.MODULE_ENV) == null
                ? profiles().get("softhsm") : null;
        return Pkcs11Module.open(ModuleLocator.locate(option, ctx, softhsm, verbose));
    }

    /**
     * Loads the module a command's --module/--profile options name: --module, else
     * $TOKENCTL_MODULE, else the profile's module candidates (when it lists any),
     * else SoftHSM2. An explicit profile (--profile or $TOKENCTL_PROFILE) then
     * supplies the rules.
     *
     * @param options the command's module options
     * @return the open module; close it when done
     * @throws CliException if no module can be located
     * @throws TokenctlException if the profile is unknown or the module cannot be loaded
     */
    Pkcs11Module openModule(ModuleOptions options) throws CliException, TokenctlException {
        String name = options.profile() != null ? options.profile() : ctx.getenv(PROFILE_ENV);
        explicitProfile = name == null ? null : profiles().get(name);
        if (options.module() == null && ctx.getenv(ModuleLocator.MODULE_ENV) == null && explicitProfile != null
                && !explicitProfile.modulesFor(OperatingSystem.current()).isEmpty()) {
            Path located = ModuleCandidates.locate(explicitProfile);
            ctx.err().println("tokenctl: using " + located + " (profile " + explicitProfile.id() + ")");
            return Pkcs11Module.open(located);
        }
        return openModule(options.module());
    }

    /** @return every vendor profile: built-in ones and the user's (config dir, profiles/) */
    ProfileRegistry profiles() throws TokenctlException {
        if (profiles == null) {
            profiles = ProfileRegistry.load(ctx.configDir().resolve("profiles"));
        }
        return profiles;
    }

    /**
     * The profile whose rules apply to a token: the one named with --profile (or
     * $TOKENCTL_PROFILE), else the one recognising the token's manufacturer id,
     * else the generic profile.
     *
     * @param token the token's info
     * @return the profile
     * @throws TokenctlException if the user's profiles are malformed
     */
    VendorProfile profile(TokenInfo token) throws TokenctlException {
        return explicitProfile != null ? explicitProfile : profiles().detect(token);
    }

    /**
     * @param token the token's info
     * @return which profile applies to it, and why (for list)
     * @throws TokenctlException if the user's profiles are malformed
     */
    org.tokenctl.cli.output.Views.ProfileView profileView(TokenInfo token) throws TokenctlException {
        VendorProfile p = profile(token);
        String source = explicitProfile != null ? "named" : p.recognises(token) ? "detected" : "generic";
        return new org.tokenctl.cli.output.Views.ProfileView(p.id(), p.name(), source);
    }

    /**
     * The attempt guard configured for this user (on by default; see {@link CliConfig}).
     *
     * @return the guard
     * @throws CliException if the configuration is malformed
     */
    AttemptGuard guard() throws CliException {
        if (guard == null) {
            CliConfig config = CliConfig.load(ctx);
            guard = config.guardEnabled()
                    ? new FileAttemptGuard(config.guardStateFile(), config.guardLimits(), ctx.clock())
                    : AttemptGuard.disabled();
        }
        return guard;
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
        TokenInfo info = session.token().info();
        LoginOptions options = loginOptions(allowFinalTry, profile(info));
        PinSource forToken = source.forToken(info);
        if (!source.explicit() && info.has(TokenFlag.PROTECTED_AUTHENTICATION_PATH)) {
            ctx.err().println("tokenctl: enter the " + type.pinName() + " for " + forToken.target()
                    + " on its PIN pad");
            session.login(type, null, options);
            return;
        }
        try (Pin pin = new PinReader(ctx).read(forToken)) {
            session.login(type, pin, options);
        }
    }

    /**
     * The login rules for this invocation: refuse the initial PIN, never spend a
     * final try unless allowed, warn on stderr about COUNT_LOW.
     *
     * @param allowFinalTry --allow-final-try
     * @param profile the token's profile, which knows its initial PIN
     * @return the options
     * @throws CliException if the guard's configuration is malformed
     */
    LoginOptions loginOptions(boolean allowFinalTry, VendorProfile profile) throws CliException {
        return LoginOptions.defaults(guard()).withAllowFinalTry(allowFinalTry)
                .withInitialPin(profile.pinPolicy().initialPin())
                .withNoRetryCounter(profile.pinRetries() == 0)
                .withObserver((type, info) -> {
                    PinState s = (type == UserType.USER ? info.userPin() : info.soPin()).state();
                    if (s == PinState.COUNT_LOW) {
                        // named, because batch-enroll logs in to many tokens
                        ctx.err().println("tokenctl: warning: token '" + info.label() + "' reports wrong "
                                + type.pinName() + " entries; few tries may be left");
                    }
                });
    }
}
