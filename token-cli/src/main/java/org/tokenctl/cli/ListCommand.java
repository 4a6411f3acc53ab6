package org.tokenctl.cli;

import java.util.List;
import java.util.stream.Collectors;

import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.TextFormat;
import org.tokenctl.cli.output.Views;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.objects.TokenObject;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.Slot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl list}: slots and tokens, or the objects on one token. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List every slot and token with their flags, PIN states and pkcs11: URIs (with --token-label,"
                + " --serial, --slot or --uri: that token's slot only).",
            "With --objects, list the objects on one token: public ones without a PIN, private ones too after a "
                    + "login (--login, or any --pin-* source). " + TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl list",
            "  tokenctl list --json",
            "  tokenctl list --objects --token-label alice",
            "  tokenctl list --objects --uri 'pkcs11:token=alice'",
            "  tokenctl list --objects --login --token-label alice --pin-file ~/.alice-pin"})
final class ListCommand extends TokenCommand {

    @Option(names = "--objects", description = "List the objects on the selected token.")
    private boolean objects;

    @Option(names = "--login", description = "Log in as the user to list private objects too (implies --objects).")
    private boolean login;

    @Mixin
    private UserPinOptions pin;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ctx();
        PinSource pinSource = pin.source();
        boolean wantLogin = login || pinSource.explicit();
        try (Pkcs11Module m = openModule()) {
            if (!objects && !wantLogin) {
                // with a selection, the selected token only (as p11tool --list-tokens URI does)
                List<Slot> slots = tokenSelected() ? List.of(selectToken(m).slot()) : m.slots();
                List<Views.SlotView> views = new java.util.ArrayList<>();
                for (Slot s : slots) {
                    views.add(Views.SlotView.of(s, null, profileOf(s)));
                }
                if (json()) {
                    Json.print(ctx.out(), Views.ListView.of(m.path().toString(), m.info(), views));
                } else {
                    ctx.out().printf("Module: %s (%s %s, PKCS#11 %s)%n", m.path(), m.info().manufacturer(),
                            m.info().libraryVersion(), m.info().cryptokiVersion());
                    for (int i = 0; i < slots.size(); i++) {
                        Views.TokenView t = views.get(i).token();
                        TextFormat.slot(ctx.out(), slots.get(i), t == null ? null : t.profile());
                    }
                }
                return ExitCode.OK.code();
            }
            Token t = selectToken(m);
            List<TokenObject> list;
            try (TokenSession session = t.openSession(false)) {
                if (wantLogin) {
                    top().login(session, UserType.USER, pinSource, allowFinalTry());
                }
                list = ObjectLister.list(session);
            }
            Slot slot = t.slot();
            Views.ProfileView profile = profileOf(slot);
            if (json()) {
                Json.print(ctx.out(), Views.ListView.of(m.path().toString(), m.info(),
                        List.of(Views.SlotView.of(slot, list, profile))));
            } else {
                TextFormat.slot(ctx.out(), slot, profile);
                ctx.out().println("  objects:");
                TextFormat.objects(ctx.out(), slot.token(), list, wantLogin);
            }
            return ExitCode.OK.code();
        }
    }

    /** The profile that applies to the slot's token; null for an empty slot. */
    private Views.ProfileView profileOf(Slot s) throws org.tokenctl.core.TokenctlException {
        return s.token() == null ? null : top().profileView(s.token());
    }
}
