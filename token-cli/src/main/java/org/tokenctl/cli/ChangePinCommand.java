package org.tokenctl.cli;


import org.tokenctl.cli.options.NewPinOptions;
import org.tokenctl.cli.options.SoPinOptions;
import org.tokenctl.cli.options.UserPinOptions;
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

/** {@code tokenctl change-pin}: the holder (or the SO) changes their own PIN. */
@Command(name = "change-pin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Change the user PIN (C_SetPIN), or the SO PIN with --so.",
            "The new user PIN must follow the token's profile (by default 6 to 10 printable ASCII characters, "
                    + "within the token's own range), differ from the initial PIN 12345678 and from the current PIN; "
                    + "it is checked before the token is touched, so a bad new PIN costs no try. A prompted new PIN "
                    + "is asked twice.",
            "When several PINs come from standard input, they are read one line each: current PIN first, then "
                    + "the new PIN.",
            TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl change-pin --token-label alice                        # prompts",
            "  tokenctl change-pin --token-label alice --pin-file old.pin \\",
            "      --new-pin-file new.pin --json",
            "  printf '%%s\\n%%s\\n' \"$OLD\" \"$NEW\" | \\",
            "      tokenctl change-pin --pin-stdin --new-pin-stdin",
            "  tokenctl change-pin --so --token-label alice --so-pin-file so.pin \\",
            "      --new-pin-file new-so.pin"})
final class ChangePinCommand extends TokenCommand {

    @Option(names = "--so", description = "Change the SO PIN instead of the user PIN (current SO PIN from --so-pin-*).")
    private boolean so;

    @Mixin
    private UserPinOptions pin;

    @Mixin
    private SoPinOptions soPin;

    @Mixin
    private NewPinOptions newPin;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ctx();
        UserType who = so ? UserType.SO : UserType.USER;
        var oldSource = so ? soPin.source() : pin.source();
        var newSource = newPin.source().named("new " + who.pinName());
        try (Pkcs11Module m = openModule()) {
            Token t = selectToken(m);
            oldSource = oldSource.forToken(t.info());
            newSource = newSource.forToken(t.info());
            VendorProfile profile = profile(t);
            PinPolicy policy = so ? PinPolicy.tokenRangeOnly() : profile.pinPolicy();
            PinReader reader = new PinReader(ctx);
            AdminResult after;
            try (Pin old = reader.read(oldSource); Pin fresh = reader.readNew(newSource)) {
                after = PinManager.changePin(t, who, old, fresh, policy, loginOptions(profile));
            }
            PinOutput.print(ctx, json(), "change-pin", who, after);
            return ExitCode.OK.code();
        }
    }
}
