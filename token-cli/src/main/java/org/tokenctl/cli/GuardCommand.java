package org.tokenctl.cli;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.tokenctl.cli.options.ModuleOptions;
import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.cli.options.SoPinOptions;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.admin.PinManager;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.FileAttemptGuard;
import org.tokenctl.core.pin.GuardLimits;
import org.tokenctl.core.pin.GuardRecord;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tokenctl guard}: inspect and reset the client-side attempt guard. */
@Command(name = "guard", mixinStandardHelpOptions = true,
        description = {"The attempt guard counts wrong PINs per token, in a file, across runs and processes: 5 wrong "
                + "PINs in a calendar day stop attempts on that token until the next day; 8 in a row stop them "
                + "until the count is reset: for the user PIN by the SO (`guard reset` or `unblock`, with the SO "
                + "PIN); for the SO PIN, which an SO login cannot reset, with `guard reset --no-login`. A refused "
                + "attempt never reaches the token. Configure it in config.properties (guard.enabled, "
                + "guard.daily-limit, guard.consecutive-limit, guard.state-file)."},
        subcommands = {GuardCommand.Status.class, GuardCommand.Reset.class},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl guard status", "  tokenctl guard status --serial 9dca3ab4051dde88 --json",
            "  tokenctl guard reset --serial 9dca3ab4051dde88 --so-pin-file so.pin",
            "  tokenctl guard reset --serial 9dca3ab4051dde88 --no-login"})
final class GuardCommand implements Runnable {

    @ParentCommand
    private TokenctlCommand top;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "Missing subcommand: guard status or guard reset");
    }

    /** {@code tokenctl guard status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show what the attempt guard counts: the tokens with wrong PINs recorded (no token or"
                + " PIN needed).", "With --all, every initialised token present in the module too (--module,"
                + " --profile), with zero counts where nothing is recorded, and each token's label."},
            footerHeading = "%nExamples:%n",
            footer = {"  tokenctl guard status", "  tokenctl guard status --serial 9dca3ab4051dde88 --json",
                "  tokenctl guard status --all"})
    static final class Status implements Callable<Integer> {

        @ParentCommand
        private GuardCommand guard;

        @Option(names = "--serial", paramLabel = "SERIAL", description = "Only this token.")
        private String serial;

        @Option(names = "--all", description = "Also list the tokens present with nothing recorded (opens the"
                + " module; reads no PIN).")
        private boolean all;

        @Mixin
        private ModuleOptions module;

        @Mixin
        private OutputOptions output;

        @Override
        public Integer call() throws Exception {
            TokenctlCommand top = guard.top;
            CliContext ctx = top.ctx();
            if (!(top.guard() instanceof FileAttemptGuard)) {
                if (output.json()) {
                    Json.print(ctx.out(), new GuardView(Json.SCHEMA_VERSION, false, null, null, List.of()));
                } else {
                    ctx.out().println("The attempt guard is disabled (guard.enabled=false).");
                }
                return ExitCode.OK.code();
            }
            FileAttemptGuard g = (FileAttemptGuard) top.guard();
            LocalDate today = LocalDate.now(ctx.clock());
            List<GuardRecord> recorded = g.records(serial);
            java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
            if (all) {
                try (Pkcs11Module m = top.openModule(module)) {
                    for (Slot s : m.slots()) {
                        if (s.token() != null && s.token().initialized()
                                && (serial == null || s.token().serial().equalsIgnoreCase(serial))) {
                            labels.put(s.token().serial(), s.token().label());
                        }
                    }
                }
            }
            List<RecordView> records = new ArrayList<>();
            for (GuardRecord r : recorded) {
                records.add(RecordView.of(r, today, g.limits(), labels.get(r.serial())));
            }
            for (java.util.Map.Entry<String, String> token : labels.entrySet()) {
                for (UserType who : UserType.values()) {
                    if (recorded.stream().noneMatch(r -> r.serial().equals(token.getKey()) && r.userType() == who)) {
                        records.add(new RecordView(token.getKey(), token.getValue(),
                                who.name().toLowerCase(java.util.Locale.ROOT), 0, 0, null));
                    }
                }
            }
            if (output.json()) {
                Json.print(ctx.out(), new GuardView(Json.SCHEMA_VERSION, true, g.file().toString(), g.limits(),
                        records));
                return ExitCode.OK.code();
            }
            ctx.out().printf("Attempt guard: %d wrong PINs a day, %d in a row (state: %s)%n",
                    g.limits().dailyLimit(), g.limits().consecutiveLimit(), g.file());
            if (records.isEmpty()) {
                ctx.out().println("  no wrong PINs recorded" + (serial == null ? "" : " for " + serial)
                        + (all ? ", and no such token present" : ""));
            }
            for (RecordView r : records) {
                ctx.out().printf("  %-20s %-14s %-5s wrong today: %d  in a row: %d  %s%n", r.serial(),
                        r.label() == null ? (all ? "(not present)" : "") : "'" + r.label() + "'", r.pin(),
                        r.wrongToday(), r.wrongInARow(), r.blocked() == null ? "" : "BLOCKED " + r.blocked());
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code tokenctl guard reset}. */
    @Command(name = "reset", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Clear the attempt guard's counts for a token, user and SO PIN alike. The SO proves "
                    + "authority by logging in (the SO PIN is asked for like any PIN).",
                "--no-login clears them without a login: the way out when the SO PIN's own count is what blocks "
                    + "(the guard then refuses the SO login too), or when the token was unblocked elsewhere. The "
                    + "counts are this machine's safety net, kept in its state file, not the token's: the token is "
                    + "named (label, serial, counts) and confirmation is asked on the terminal unless --force.",
                TokenCommand.DEFAULT_SELECTION},
            footerHeading = "%nExamples:%n",
            footer = {"  tokenctl guard reset --serial 9dca3ab4051dde88 --so-pin-file so.pin",
                "  tokenctl guard reset --token-label alice --no-login          # asks first",
                "  tokenctl guard reset --serial 9dca3ab4051dde88 --no-login --force --json"})
    static final class Reset extends TokenCommand {

        @Mixin
        private SoPinOptions soPin;

        @Option(names = "--no-login", description = "Clear the counts without an SO login (asks first unless "
                + "--force); the only way to clear a count that blocks the SO PIN.")
        private boolean noLogin;

        @Option(names = {"-f", "--force"}, description = "With --no-login: do not ask for confirmation.")
        private boolean force;

        @Override
        public Integer call() throws Exception {
            var source = soPin.source();
            if (noLogin && source.explicit()) {
                throw new CliException(ExitCode.USAGE, "Give either --no-login or an SO PIN source, not both");
            }
            if (force && !noLogin) {
                throw new CliException(ExitCode.USAGE, "--force applies only with --no-login (a reset with the SO "
                        + "PIN asks nothing)");
            }
            try (Pkcs11Module m = openModule()) {
                Token t = selectToken(m);
                TokenInfo info = t.info();
                if (noLogin) {
                    return clearWithoutLogin(info);
                }
                try (Pin so = new PinReader(ctx()).read(source.forToken(info))) {
                    PinManager.resetGuard(t, so, loginOptions(profile(t)));
                }
                return done(info, true, "Attempt guard counts cleared for token " + name(info) + ".");
            }
        }

        /**
         * Clears the counts on the operator's word alone. The guard is a safety net in the
         * operator's own state file (which they may also switch off in their configuration),
         * not an access control, and a count that blocks the SO PIN refuses the SO login that
         * would otherwise prove authority; so the operator's confirmation is what is asked.
         * Every count of the token goes, as with the SO's reset: once the operator decides,
         * a user PIN count left behind would only send them back for an SO PIN they may not
         * have (an issuer that unblocked the token at its own desk cleared its own count,
         * not this machine's).
         */
        private int clearWithoutLogin(TokenInfo info) throws Exception {
            CliContext ctx = ctx();
            AttemptGuard guard = top().guard();
            if (!(guard instanceof FileAttemptGuard)) {
                return done(info, false, "The attempt guard is disabled (guard.enabled=false): no counts to clear "
                        + "for token " + name(info) + ".");
            }
            FileAttemptGuard g = (FileAttemptGuard) guard;
            List<GuardRecord> records = g.records(info.serial());
            if (records.isEmpty()) {
                return done(info, false, "No wrong PINs recorded for token " + name(info) + ": nothing to clear.");
            }
            Confirmation.require(ctx, force, "clear the attempt guard's counts for token " + name(info)
                    + " with no SO login [" + describe(records, g.limits()) + "]");
            g.reset(info.serial());
            return done(info, false, "Attempt guard counts cleared for token " + name(info)
                    + ", without an SO login.");
        }

        private String describe(List<GuardRecord> records, GuardLimits limits) {
            LocalDate today = LocalDate.now(ctx().clock());
            StringBuilder sb = new StringBuilder();
            for (GuardRecord r : records) {
                RecordView v = RecordView.of(r, today, limits, null);
                sb.append(sb.length() == 0 ? "" : "; ").append(r.userType().pinName()).append(": ")
                        .append(v.wrongInARow()).append(" wrong in a row, ").append(v.wrongToday()).append(" today")
                        .append(v.blocked() == null ? "" : ", blocked " + v.blocked());
            }
            return sb.toString();
        }

        private static String name(TokenInfo info) {
            return "'" + info.label() + "' (serial " + info.serial() + ")";
        }

        /** Prints the outcome: the JSON object, or the sentence. */
        private int done(TokenInfo info, boolean soLogin, String sentence) {
            if (json()) {
                Json.print(ctx().out(), new ResetView(Json.SCHEMA_VERSION, info.serial(), true, soLogin));
            } else {
                ctx().out().println(sentence);
            }
            return ExitCode.OK.code();
        }
    }

    /**
     * Output of {@code guard reset --json}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param serial the token whose counts were cleared
     * @param reset always true (failures are errors)
     * @param soLogin whether the SO logged in to reset (false with --no-login)
     */
    record ResetView(int schemaVersion, String serial, boolean reset, boolean soLogin) {
    }

    /**
     * Output of {@code guard status --json}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param enabled whether the guard is on
     * @param stateFile where it keeps counts (null when disabled)
     * @param limits its thresholds (null when disabled)
     * @param records one per token PIN with counts
     */
    record GuardView(int schemaVersion, boolean enabled, String stateFile, GuardLimits limits,
                     List<RecordView> records) {
    }

    /**
     * @param serial token serial
     * @param label the token's label when it is present (--all), else null
     * @param pin "user" or "so"
     * @param wrongToday wrong PINs today
     * @param wrongInARow wrong PINs since the last correct one
     * @param blocked null when attempts are allowed; else "until YYYY-MM-DD" or "until reset"
     */
    record RecordView(String serial, String label, String pin, int wrongToday, int wrongInARow, String blocked) {
        static RecordView of(GuardRecord r, LocalDate today, GuardLimits limits, String label) {
            String blocked = r.consecutive() >= limits.consecutiveLimit() ? "until reset"
                    : r.dailyOn(today) >= limits.dailyLimit() ? "until " + today.plusDays(1) : null;
            return new RecordView(r.serial(), label, r.userType().name().toLowerCase(java.util.Locale.ROOT),
                    r.dailyOn(today), r.consecutive(), blocked);
        }
    }
}
