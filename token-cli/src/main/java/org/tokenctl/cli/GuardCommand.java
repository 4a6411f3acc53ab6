package org.tokenctl.cli;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.cli.options.SoPinOptions;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.admin.PinManager;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.FileAttemptGuard;
import org.tokenctl.core.pin.GuardLimits;
import org.tokenctl.core.pin.GuardRecord;
import org.tokenctl.core.pin.Pin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tokenctl guard}: inspect and reset the client-side attempt guard. */
@Command(name = "guard", mixinStandardHelpOptions = true,
        description = {"The attempt guard counts wrong PINs per token, in a file, across runs and processes: 5 wrong "
                + "PINs in a calendar day stop attempts on that token until the next day; 8 in a row stop them "
                + "until the SO resets the count (`guard reset` or `unblock`). A refused attempt never reaches the "
                + "token. Configure it in config.properties (guard.enabled, guard.daily-limit, "
                + "guard.consecutive-limit, guard.state-file)."},
        subcommands = {GuardCommand.Status.class, GuardCommand.Reset.class},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl guard status", "  tokenctl guard status --serial 9dca3ab4051dde88 --json",
            "  tokenctl guard reset --serial 9dca3ab4051dde88 --so-pin-file so.pin"})
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
            description = "Show what the attempt guard counts (no token or PIN needed).",
            footerHeading = "%nExamples:%n",
            footer = {"  tokenctl guard status", "  tokenctl guard status --serial 9dca3ab4051dde88 --json"})
    static final class Status implements Callable<Integer> {

        @ParentCommand
        private GuardCommand guard;

        @Option(names = "--serial", paramLabel = "SERIAL", description = "Only this token.")
        private String serial;

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
            List<RecordView> records = new ArrayList<>();
            for (GuardRecord r : g.records(serial)) {
                records.add(RecordView.of(r, today, g.limits()));
            }
            if (output.json()) {
                Json.print(ctx.out(), new GuardView(Json.SCHEMA_VERSION, true, g.file().toString(), g.limits(),
                        records));
                return ExitCode.OK.code();
            }
            ctx.out().printf("Attempt guard: %d wrong PINs a day, %d in a row (state: %s)%n",
                    g.limits().dailyLimit(), g.limits().consecutiveLimit(), g.file());
            if (records.isEmpty()) {
                ctx.out().println("  no wrong PINs recorded" + (serial == null ? "" : " for " + serial));
            }
            for (RecordView r : records) {
                ctx.out().printf("  %-20s %-8s wrong today: %d  in a row: %d  %s%n", r.serial(), r.pin(),
                        r.wrongToday(), r.wrongInARow(), r.blocked() == null ? "" : "BLOCKED " + r.blocked());
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code tokenctl guard reset}. */
    @Command(name = "reset", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Clear the attempt guard's counts for a token; the SO proves authority by logging in.",
                TokenCommand.DEFAULT_SELECTION},
            footerHeading = "%nExamples:%n",
            footer = {"  tokenctl guard reset --serial 9dca3ab4051dde88 --so-pin-file so.pin"})
    static final class Reset extends TokenCommand {

        @Mixin
        private SoPinOptions soPin;

        @Override
        public Integer call() throws Exception {
            var source = soPin.source();
            try (Pkcs11Module m = openModule()) {
                Token t = selectToken(m);
                try (Pin so = new PinReader(ctx()).read(source)) {
                    PinManager.resetGuard(t, so, loginOptions(profile(t)));
                }
                if (json()) {
                    Json.print(ctx().out(), new ResetView(Json.SCHEMA_VERSION, t.info().serial(), true));
                } else {
                    ctx().out().println("Attempt guard counts cleared for token '" + t.info().label() + "' (serial "
                            + t.info().serial() + ").");
                }
                return ExitCode.OK.code();
            }
        }
    }

    /**
     * Output of {@code guard reset --json}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param serial the token whose counts were cleared
     * @param reset always true (failures are errors)
     */
    record ResetView(int schemaVersion, String serial, boolean reset) {
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
     * @param pin "user" or "so"
     * @param wrongToday wrong PINs today
     * @param wrongInARow wrong PINs since the last correct one
     * @param blocked null when attempts are allowed; else "until YYYY-MM-DD" or "until reset"
     */
    record RecordView(String serial, String pin, int wrongToday, int wrongInARow, String blocked) {
        static RecordView of(GuardRecord r, LocalDate today, GuardLimits limits) {
            String blocked = r.consecutive() >= limits.consecutiveLimit() ? "until reset"
                    : r.dailyOn(today) >= limits.dailyLimit() ? "until " + today.plusDays(1) : null;
            return new RecordView(r.serial(), r.userType().name().toLowerCase(java.util.Locale.ROOT),
                    r.dailyOn(today), r.consecutive(), blocked);
        }
    }
}
