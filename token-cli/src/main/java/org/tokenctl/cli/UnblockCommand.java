package org.tokenctl.cli;


import org.tokenctl.cli.options.NewPinOptions;
import org.tokenctl.cli.options.SoPinOptions;
import org.tokenctl.cli.output.PinOutput;
import org.tokenctl.core.admin.AdminResult;
import org.tokenctl.core.admin.PinManager;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinPolicy;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.profile.VendorProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl unblock}: the security officer sets a new user PIN. */
@Command(name = "unblock", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The security officer sets a new user PIN (C_InitPIN): recovers a locked or forgotten user "
                + "PIN, and clears the attempt guard's counts for the token.",
            "The new PIN follows the same rules as change-pin; --reset-to-initial sets the profile's initial PIN "
                    + "(12345678 for bank tokens) instead, which the holder must then change.",
            TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl unblock --token-label alice                            # prompts",
            "  tokenctl unblock --serial 9dca3ab4051dde88 --so-pin-file so.pin \\",
            "      --new-pin-file new.pin",
            "  tokenctl unblock --token-label alice --so-pin-env SO_PIN \\",
            "      --reset-to-initial --json"})
final class UnblockCommand extends TokenCommand {

    @Mixin
    private SoPinOptions soPin;

    @Mixin
    private NewPinOptions newPin;

    @Option(names = "--reset-to-initial",
            description = "Set the user PIN to the initial PIN 12345678 (the holder must change it before use).")
    private boolean resetToInitial;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ctx();
        var soSource = soPin.source();
        var newSource = newPin.source().named("new user PIN");
        if (resetToInitial && newSource.explicit()) {
            throw new CliException(ExitCode.USAGE, "Give either --reset-to-initial or a new PIN source, not both");
        }
        try (Pkcs11Module m = openModule()) {
            Token t = selectToken(m);
            soSource = soSource.forToken(t.info());
            newSource = newSource.forToken(t.info());
            VendorProfile profile = profile(t);
            char[] initial = profile.pinPolicy().initialPin();
            if (resetToInitial && initial == null) {
                throw new CliException(ExitCode.USAGE, "Profile '" + profile.id() + "' has no initial PIN to reset to");
            }
            PinReader reader = new PinReader(ctx);
            AdminResult after;
            try (Pin so = reader.read(soSource);
                 Pin fresh = resetToInitial ? Pin.wrap(initial) : reader.readNew(newSource)) {
                PinPolicy policy = resetToInitial ? profile.pinPolicy().withInitialPin(null) : profile.pinPolicy();
                after = PinManager.unblock(t, so, fresh, policy, loginOptions(profile));
            }
            PinOutput.print(ctx, json(), "unblock", UserType.USER, after);
            if (resetToInitial && !json()) {
                ctx.out().println("The user PIN is the initial PIN again: the holder must change it with "
                        + "`tokenctl change-pin` before use.");
            }
            return ExitCode.OK.code();
        }
    }
}
