package org.tokenctl.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.TextFormat;
import org.tokenctl.cli.output.Views;
import org.tokenctl.core.cert.Expiry;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.CertificateDescription;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl expiry}: which certificates on the tokens have expired or expire soon. */
@Command(name = "expiry", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report the certificates on every present token (with --token-label, --serial, --slot or"
                + " --uri: on that token) by remaining validity, soonest expiry first: token, key id, subject,"
                + " issuer, serial, notAfter, days left and status (expired, expiring, not-yet-valid, valid).",
            "Certificates are public objects: no PIN is needed (--login, with a token selected, shows private"
                + " ones too). The exit code says the worst: 23 if any certificate has expired, else 12 if a token"
                + " could not be read, else 22 if any expires within the window, else 0; for cron and monitoring."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl expiry",
            "  tokenctl expiry --within 60 --json",
            "  tokenctl expiry --token-label alice",
            "  tokenctl expiry --token-label alice --login --pin-file alice.pin"})
final class ExpiryCommand extends TokenCommand {

    /** The last column of the text table; the issuer and URI follow on lines of their own. */
    private static final int SUBJECT = 6;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--within", paramLabel = "DAYS", defaultValue = "30",
            description = "The window: a certificate whose notAfter falls within DAYS days is 'expiring'"
                    + " (0 to " + Expiry.MAX_WINDOW_DAYS + "; default ${DEFAULT-VALUE}).")
    private int within;

    @Option(names = "--login", description = "Log in as the user to see private certificates too (needs a token"
            + " selected; implied by any --pin-* source).")
    private boolean login;

    @Mixin
    private UserPinOptions pin;

    /** One token's reading: its certificates, or why it could not be read. */
    private record Reading(TokenInfo token, List<Expiry.Entry> entries, ErrorReporter.Report failure) {
    }

    @Override
    public Integer call() throws Exception {
        if (within < 0 || within > Expiry.MAX_WINDOW_DAYS) {
            throw new org.tokenctl.core.InvalidInputException("within", "--within must be 0 to "
                    + Expiry.MAX_WINDOW_DAYS + " days");
        }
        PinSource pinSource = pin.source();
        boolean wantLogin = login || pinSource.explicit();
        if (wantLogin && !tokenSelected()) {
            throw new CliException(ExitCode.USAGE, "--login (or a --pin-* source) needs one token selected"
                    + " (--token-label, --serial, --slot or --uri): one PIN is not tried on every token");
        }
        CliContext ctx = ctx();
        Instant now = ctx.clock().instant();
        List<Reading> readings = new ArrayList<>();
        try (Pkcs11Module m = openModule()) {
            if (tokenSelected()) {
                Token t = selectToken(m);
                readings.add(new Reading(t.info(), read(t, wantLogin ? pinSource : null, now), null));
            } else {
                for (Slot s : m.slots()) {
                    if (s.token() == null || !s.token().initialized()) {
                        continue;
                    }
                    readings.add(readAny(m, s, now));
                }
            }
        }
        ExitCode code = exitCode(readings);
        if (json()) {
            Json.print(ctx.out(), view(readings, now, code));
        } else {
            print(ctx, readings, code);
        }
        return code.code();
    }

    private List<Expiry.Entry> read(Token t, PinSource pinSource, Instant now) throws Exception {
        try (TokenSession session = t.openSession(false)) {
            if (pinSource != null) {
                top().login(session, UserType.USER, pinSource, allowFinalTry());
            }
            return Expiry.check(ObjectLister.list(session), now, within);
        }
    }

    /** Reads one of every present token; a failure is that token's, reported with the others. */
    private Reading readAny(Pkcs11Module m, Slot s, Instant now) {
        try {
            Token t = m.token(s);
            profile(t);
            return new Reading(s.token(), read(t, null, now), null);
        } catch (Exception e) {
            if (top().verbose()) {
                ctx().err().println("expiry: token " + s.token().serial() + ":");
                e.printStackTrace(ctx().err());
            }
            return new Reading(s.token(), List.of(), ErrorReporter.report(e));
        }
    }

    private static ExitCode exitCode(List<Reading> readings) {
        boolean expired = false;
        boolean expiring = false;
        boolean unread = false;
        for (Reading r : readings) {
            unread |= r.failure() != null;
            for (Expiry.Entry e : r.entries()) {
                expired |= e.status() == Expiry.Status.EXPIRED;
                expiring |= e.status() == Expiry.Status.EXPIRING;
            }
        }
        return expired ? ExitCode.EXPIRED : unread ? ExitCode.TOKEN_ERROR
                : expiring ? ExitCode.EXPIRING : ExitCode.OK;
    }

    private static String status(Expiry.Status s) {
        return s.name().toLowerCase().replace('_', '-');
    }

    private Views.ExpiryView view(List<Reading> readings, Instant now, ExitCode code) {
        List<Views.ExpiringView> certs = new ArrayList<>();
        List<Views.UnreadTokenView> unread = new ArrayList<>();
        int[] counts = new int[Expiry.Status.values().length];
        for (Reading r : readings) {
            EnrollViews.TokenRef ref = EnrollViews.TokenRef.of(r.token());
            if (r.failure() != null) {
                unread.add(new Views.UnreadTokenView(ref, r.failure().code().code(), r.failure().code().name(),
                        ErrorReporter.oneLine(r.failure().text())));
            }
            for (Expiry.Entry e : r.entries()) {
                CertificateDescription c = e.certificate().certificate();
                counts[e.status().ordinal()]++;
                certs.add(new Views.ExpiringView(ref, e.certificate().id() == null ? null
                        : e.certificate().id().hex(), e.certificate().label(), TextFormat.uri(r.token(),
                        e.certificate()), c.subject(), c.issuer(), c.serialHex(), c.notBefore().toString(),
                        c.notAfter().toString(), e.daysLeft(), status(e.status())));
            }
        }
        certs.sort(java.util.Comparator.comparing(Views.ExpiringView::notAfter));
        return new Views.ExpiryView(Json.SCHEMA_VERSION, now.toString(), within, certs, unread,
                new Views.ExpirySummaryView(readings.size(), certs.size(), counts[Expiry.Status.EXPIRED.ordinal()],
                        counts[Expiry.Status.EXPIRING.ordinal()], counts[Expiry.Status.NOT_YET_VALID.ordinal()],
                        counts[Expiry.Status.VALID.ordinal()], code.code(), code.name()));
    }

    private void print(CliContext ctx, List<Reading> readings, ExitCode code) {
        List<String[]> rows = new ArrayList<>();
        int[] counts = new int[Expiry.Status.values().length];
        for (Reading r : readings) {
            for (Expiry.Entry e : r.entries()) {
                CertificateDescription c = e.certificate().certificate();
                counts[e.status().ordinal()]++;
                // the columns, then (under each row) the issuer and the certificate's pkcs11: URI
                rows.add(new String[] {status(e.status()), Long.toString(e.daysLeft()), DAY.format(c.notAfter()),
                    r.token().label(), e.certificate().id() == null ? "-" : e.certificate().id().hex(),
                    c.serialHex(), c.subject(), c.issuer(), TextFormat.uri(r.token(), e.certificate())});
            }
        }
        rows.sort(java.util.Comparator.comparing((String[] row) -> row[2]));
        if (!rows.isEmpty()) {
            rows.add(0, new String[] {"STATUS", "DAYS", "NOT AFTER", "TOKEN", "KEY ID", "SERIAL", "SUBJECT", null,
                null});
            int[] width = new int[SUBJECT];
            for (String[] row : rows) {
                for (int i = 0; i < width.length; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    sb.append(i == 1 ? pad(row[i], width[i], true) : pad(row[i], width[i], false)).append("  ");
                }
                ctx.out().println(sb.append(row[SUBJECT]));
                if (row[SUBJECT + 1] != null) {
                    ctx.out().println("    issuer: " + row[SUBJECT + 1]);
                    ctx.out().println("    uri:    " + row[SUBJECT + 2]);
                }
            }
        }
        for (Reading r : readings) {
            if (r.failure() != null) {
                ctx.err().println("tokenctl: token '" + r.token().label() + "' (serial " + r.token().serial()
                        + ") could not be read: " + ErrorReporter.oneLine(r.failure().text()));
            }
        }
        int certificates = rows.isEmpty() ? 0 : rows.size() - 1;
        ctx.out().printf("%d certificate%s on %d token%s: %d expired, %d expiring within %d days,"
                        + " %d not yet valid, %d valid%n", certificates, certificates == 1 ? "" : "s",
                readings.size(), readings.size() == 1 ? "" : "s", counts[Expiry.Status.EXPIRED.ordinal()],
                counts[Expiry.Status.EXPIRING.ordinal()], within, counts[Expiry.Status.NOT_YET_VALID.ordinal()],
                counts[Expiry.Status.VALID.ordinal()]);
        if (code != ExitCode.OK) {
            ctx.err().println("tokenctl: " + code.description());
        }
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
