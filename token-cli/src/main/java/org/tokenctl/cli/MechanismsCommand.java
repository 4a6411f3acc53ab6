package org.tokenctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.Views;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.module.MechanismInfo;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Command;

/** {@code tokenctl mechanisms}: what the token offers, and which of tokenctl's key specs it can do. */
@Command(name = "mechanisms", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the mechanisms the token offers (C_GetMechanismList, C_GetMechanismInfo) with their"
                + " key sizes and flags, then each of tokenctl's key specs and whether the token can generate it"
                + " and sign with it. Needs no PIN.", TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl mechanisms --token-label alice",
            "  tokenctl mechanisms --uri 'pkcs11:token=alice' --json"})
final class MechanismsCommand extends TokenCommand {

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ctx();
        try (Pkcs11Module m = openModule()) {
            Token t = selectToken(m);
            TokenInfo info = t.info();
            List<MechanismInfo> mechanisms = t.mechanismInfos();
            List<Views.KeySpecView> specs = new ArrayList<>();
            for (KeySpec s : KeySpec.values()) {
                String reason = s.unsupportedReason(mechanisms, t.sm2());
                specs.add(new Views.KeySpecView(s.spec(), reason == null, reason));
            }
            if (json()) {
                List<Views.MechanismView> views = new ArrayList<>();
                for (MechanismInfo i : mechanisms) {
                    views.add(new Views.MechanismView(hex(i.code()), i.name(), i.minKeySize(), i.maxKeySize(),
                            i.flags()));
                }
                Json.print(ctx.out(), new Views.MechanismsView(Json.SCHEMA_VERSION, EnrollViews.TokenRef.of(info),
                        views, specs));
                return ExitCode.OK.code();
            }
            ctx.out().printf("Token '%s' (serial %s): %d mechanisms%n", info.label(), info.serial(),
                    mechanisms.size());
            for (MechanismInfo i : mechanisms) {
                String sizes = i.minKeySize() == 0 && i.maxKeySize() == 0 ? ""
                        : i.minKeySize() + "-" + i.maxKeySize();
                ctx.out().printf("  %-34s %-11s %s%n", i.name(), sizes, String.join(",", i.flags())
                        .toLowerCase(Locale.ROOT));
            }
            ctx.out().println("Key specs:");
            for (Views.KeySpecView s : specs) {
                ctx.out().printf("  %-9s %s%n", s.spec(), s.supported() ? "yes" : "no: " + s.reason());
            }
            return ExitCode.OK.code();
        }
    }

    private static String hex(long code) {
        return String.format(Locale.ROOT, "0x%08X", code);
    }
}
