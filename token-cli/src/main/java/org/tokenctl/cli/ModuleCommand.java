package org.tokenctl.cli;

import java.util.concurrent.Callable;

import org.tokenctl.cli.options.ModuleOptions;
import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command that works on tokens of a module shares: the module and
 * profile options, {@code --allow-final-try} and {@code --json}. Commands on one
 * token add the selection ({@link TokenCommand}); {@code batch-enroll} works on many.
 */
abstract class ModuleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModuleOptions module;

    @Option(names = "--allow-final-try", description = "Spend the token's final PIN try if it comes to that.")
    private boolean allowFinalTry;

    @Mixin
    private OutputOptions output;

    /** @return the top command, which holds what the whole invocation shares */
    protected final TokenctlCommand top() {
        return (TokenctlCommand) spec.root().userObject();
    }

    /** @return the process context */
    protected final CliContext ctx() {
        return top().ctx();
    }

    /** @return whether --json was given */
    protected final boolean json() {
        return output.json();
    }

    /** @return whether --allow-final-try was given */
    protected final boolean allowFinalTry() {
        return allowFinalTry;
    }

    /** @return whether --module or --profile was given */
    protected final boolean moduleNamed() {
        return module.module() != null || module.profile() != null;
    }

    /**
     * @return the module the options name; close it when done
     * @throws CliException if none can be located
     * @throws TokenctlException if it cannot be loaded
     */
    protected final Pkcs11Module openModule() throws CliException, TokenctlException {
        return top().openModule(module);
    }

    /**
     * Also tells the token handle how its vendor does SM2 ({@link Token#useSm2}).
     *
     * @param t a token
     * @return the profile whose rules apply to it
     * @throws TokenctlException if the profiles cannot be loaded
     */
    protected final VendorProfile profile(Token t) throws TokenctlException {
        return profile(t, t.info());
    }

    /**
     * As {@link #profile(Token)}, with the token's info already read (a batch lists every
     * slot's first: no second {@code C_GetTokenInfo} per token).
     *
     * @param t a token
     * @param info its info, as just read
     * @return the profile whose rules apply to it
     * @throws TokenctlException if the profiles cannot be loaded
     */
    protected final VendorProfile profile(Token t, TokenInfo info) throws TokenctlException {
        VendorProfile profile = top().profile(info);
        // SM2 is the vendor's: the token handle learns its constants from the profile
        t.useSm2(profile.sm2());
        return profile;
    }

    /**
     * @param profile the token's profile
     * @return the login rules for this invocation
     * @throws CliException if the guard's configuration is malformed
     */
    protected final LoginOptions loginOptions(VendorProfile profile) throws CliException {
        return top().loginOptions(allowFinalTry, profile);
    }
}
