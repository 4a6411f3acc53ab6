package org.tokenctl.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.tokenctl.cli.options.InitUserPinOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.options.SoPinOptions;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.TextFormat;
import org.tokenctl.cli.output.Views;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.admin.AdminResult;
import org.tokenctl.core.admin.TokenInitializer;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.token.TokenSelectionException;
import org.tokenctl.core.token.TokenSelector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl init}: wipe and initialise a token. */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Initialise a token (C_InitToken): every object on it is destroyed, the label and SO PIN are "
                + "set, then the user PIN is set to the initial PIN (12345678 unless --user-pin-* says otherwise), "
                + "which the holder must change with `tokenctl change-pin`.",
            "Without a token selection, the only token present is used, or else the only uninitialised one. "
                + "An initialised token is named (slot, label, serial) and confirmation is asked on the "
                + "terminal unless --force."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl init --label alice                      # prompts for the SO PIN",
            "  tokenctl init --label alice --so-pin-file so.pin --force",
            "  tokenctl init --token-label old --label alice --so-pin-env SO_PIN --json"})
final class InitCommand extends TokenCommand {

    @Option(names = "--label", required = true, paramLabel = "LABEL",
            description = "New token label (at most 32 bytes of UTF-8).")
    private String label;

    @Mixin
    private SoPinOptions soPin;

    @Mixin
    private InitUserPinOptions userPin;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation before wiping.")
    private boolean force;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ctx();
        Token.checkLabel(label);
        PinSource soSource = soPin.source();
        PinSource userSource = userPin.source();
        try (Pkcs11Module m = openModule()) {
            List<Slot> slots = m.slots();
            Slot target = target(slots);
            TokenInfo before = target.token();
            VendorProfile profile = top().profile(before);
            checkProfile(profile);
            refuseDuplicateLabel(slots, target);
            if (before.initialized()) {
                Confirmation.require(ctx, force, "wipe " + target.describe()
                        + ": every key and certificate on it is destroyed");
            }
            // the prompts name the token: the one being wiped by its current name, a fresh one by its new label
            String fresh = "token '" + label + "' (slot " + target.id() + ")";
            soSource = before.initialized() ? soSource.forToken(before) : soSource.named("new SO PIN").forTarget(fresh);
            userSource = userSource.forTarget(before.initialized() ? "token '" + label + "' (serial "
                    + before.serial() + ")" : fresh);
            PinReader reader = new PinReader(ctx);
            AdminResult result;
            try (Pin so = before.initialized() ? reader.read(soSource) : reader.readNew(soSource);
                 Pin user = userSource.explicit() ? reader.readNew(userSource)
                         : Pin.wrap(initialPin(profile))) {
                LoginOptions options = loginOptions(profile);
                result = TokenInitializer.initialize(m.token(target), so, label, user, profile.pinPolicy(), options);
            }
            Slot found = findAgain(m, result);
            if (json()) {
                Json.print(ctx.out(), new Views.InitView(Json.SCHEMA_VERSION,
                        found == null ? null : Views.SlotView.of(found, null), !userSource.explicit()));
            } else {
                ctx.out().printf("Initialised token '%s'%s.%n", label,
                        found == null ? "" : " (serial " + found.token().serial() + ")");
                if (found != null) {
                    TextFormat.slot(ctx.out(), found);
                }
                if (!userSource.explicit()) {
                    ctx.out().println("The user PIN is the initial PIN: the holder must change it with "
                            + "`tokenctl change-pin` before use.");
                }
            }
            return ExitCode.OK.code();
        }
    }

    /**
     * Finds the token again by its (possibly new) serial and slot id, to show its state. The
     * token is initialised whatever happens here, so a failure is a warning.
     */
    private Slot findAgain(Pkcs11Module m, AdminResult result) {
        TokenctlException failure = result.followUpFailure();
        if (failure == null) {
            try {
                // SoftHSM gives the token its lasting slot id at the next C_Initialize: show the id others see
                m.restart();
                return m.token(TokenSelector.serial(result.after().serial())).slot();
            } catch (TokenctlException e) {
                failure = e;
            }
        }
        ctx().err().println("tokenctl: warning: token '" + label + "' was initialised, but " + failure.getMessage());
        return null;
    }

    /** What the profile says before anything is touched: can this token be initialised, and is the label short enough. */
    private void checkProfile(VendorProfile profile) throws TokenctlException {
        if (!profile.initTokenSupported()) {
            throw new UnsupportedByTokenException("C_InitToken", "This token (profile " + profile.id()
                    + ") cannot be initialised over PKCS#11; use the vendor's tool");
        }
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > profile.labelMaxBytes()) {
            throw new InvalidInputException("label", "Token label must be at most " + profile.labelMaxBytes()
                    + " bytes in UTF-8 for profile " + profile.id() + "; got " + bytes);
        }
    }

    private static char[] initialPin(VendorProfile profile) throws CliException {
        char[] initial = profile.pinPolicy().initialPin();
        if (initial == null) {
            throw new CliException(ExitCode.USAGE, "Profile '" + profile.id()
                    + "' has no initial PIN: give the user PIN with --user-pin-file, --user-pin-env or --user-pin-stdin");
        }
        return initial;
    }

    /** An explicit selection, else the only token, else the only uninitialised token (SoftHSM's free slot). */
    private Slot target(List<Slot> slots) throws TokenSelectionException, InvalidInputException {
        if (tokenSelected()) {
            return selector().select(slots);
        }
        List<Slot> present = slots.stream().filter(s -> s.token() != null).collect(Collectors.toList());
        List<Slot> fresh = present.stream().filter(s -> !s.token().initialized()).collect(Collectors.toList());
        if (present.size() != 1 && fresh.size() == 1) {
            return fresh.get(0);
        }
        return TokenSelector.onlyToken().select(slots);
    }

    private void refuseDuplicateLabel(List<Slot> slots, Slot target) throws InvalidInputException {
        for (Slot s : slots) {
            if (s.id() != target.id() && s.token() != null && s.token().initialized()
                    && s.token().label().equals(label)) {
                throw new InvalidInputException("label", "A token labelled '" + label + "' already exists (serial "
                        + s.token().serial() + "); choose another label, or re-initialise that token with "
                        + "--token-label '" + label + "'");
            }
        }
    }
}
