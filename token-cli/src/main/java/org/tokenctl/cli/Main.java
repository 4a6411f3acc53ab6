package org.tokenctl.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.tokenctl.core.enroll.Cancellation;
import org.tokenctl.core.issue.CryptoWarmUp;
import org.tokenctl.core.module.Pkcs11Module;
import picocli.CommandLine;

/** Entry point of the {@code tokenctl} command. */
public final class Main {

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(CliContext.system(), true, args));
    }

    /**
     * Runs tokenctl in-process (tests use this with their own context).
     *
     * @param ctx environment, streams, terminal and clock
     * @param args the command line
     * @return the exit code (see {@link ExitCode})
     */
    public static int run(CliContext ctx, String... args) {
        return run(ctx, false, args);
    }

    /**
     * @param ctx environment, streams, terminal and clock
     * @param ownProcess whether tokenctl owns the JVM (then a hung token ends it, see {@link Watchdog})
     * @param args the command line
     * @return the exit code
     */
    static int run(CliContext ctx, boolean ownProcess, String... args) {
        if (ownProcess && needsCrypto(args)) {
            CryptoWarmUp.start();
        }
        TokenctlCommand top = new TokenctlCommand(ctx);
        CountDownLatch finished = new CountDownLatch(1);
        if (ownProcess) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> onSignal(ctx, top.cancellation(), finished),
                    "tokenctl-interrupted"));
        }
        CommandLine cl = commandLine(top, args);
        // no ANSI colours in help: every escape sequence is escaped on the way out (TerminalSafeWriter)
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        ErrorReporter reporter = new ErrorReporter(ctx.err(), ctx.out(), top::verbose);
        cl.setExecutionExceptionHandler(reporter);
        cl.setParameterExceptionHandler(reporter);
        cl.setExecutionStrategy(parseResult -> {
            rejectUnmatched(parseResult);
            Logging.configure(top.verbose(), ctx.err());
            if (ownProcess) {
                Watchdog.arm(ctx, Watchdog.bound(top.timeout(), ctx), ErrorReporter.jsonAsked(parseResult));
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        int code = cl.execute(args);
        for (Path module : Pkcs11Module.stillFinalizing()) {
            // the work is done and reported: a hang in C_Finalize must not turn it into a timeout (exit 18),
            // which a script might answer by running the command again
            ctx.err().println("tokenctl: warning: " + module + " did not return from C_Finalize within "
                    + Pkcs11Module.FINALIZE_WAIT.toSeconds() + " s; the command had finished, and its exit code ("
                    + code + ") stands");
        }
        ctx.out().flush();
        ctx.err().flush();
        finished.countDown();
        return code;
    }

    /**
     * picocli lets {@code --help} win over words it did not understand ({@code tokenctl
     * enrol --help} printed the top-level help and exited 0): a mistyped command is a
     * usage error (exit 2, with suggestions) with or without {@code --help}.
     */
    private static void rejectUnmatched(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
    }

    /** How long, after the enrollments stopped, the command gets to report before the process ends. */
    private static final long REPORT_WAIT_SECONDS = 5;

    /**
     * The shutdown hook: on a normal exit the command has finished and this does
     * nothing. On SIGINT or SIGTERM it stops the enrollments under way at their next
     * step (each removes what it made, as after any failure; the PKCS#11 call under
     * way finishes first, bounded by --timeout), lets the command report, and the
     * process then exits as the signal says (130, 143).
     */
    private static void onSignal(CliContext ctx, Cancellation cancellation, CountDownLatch finished) {
        if (finished.getCount() == 0) {
            return;
        }
        // cancel first: an enrollment that starts after the check below stops at its first step
        cancellation.cancel("interrupted by a signal");
        if (!cancellation.busy()) {
            return;
        }
        ctx.err().println("tokenctl: interrupted: the enrollment under way stops at its next step and removes what"
                + " it made");
        ctx.err().flush();
        try {
            cancellation.awaitIdle(Duration.ofDays(1)); // the watchdog (--timeout) bounds it
            finished.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.err().flush();
    }

    /**
     * Whether the command will do software crypto, so that warming it up on another
     * core pays (~0.2 s of a cold JVM's first crypto is class loading).
     */
    static boolean needsCrypto(String[] args) {
        Subcommand named = Subcommand.named(subcommandNamed(args));
        return named != null && named.crypto() && !helpAsked(args);
    }

    /**
     * The top-level options that take a value as the next argument ({@code --timeout 30}):
     * that value is not a subcommand's name. {@code HelpAndVersionTest} checks this list
     * against the command model, which is not built here (start-up time).
     */
    static final java.util.Set<String> TOP_OPTIONS_WITH_VALUE = java.util.Set.of("--timeout");

    /** @return the first argument that is neither an option nor an option's value: the subcommand's name, if any */
    static String subcommandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (TOP_OPTIONS_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /**
     * @param top the top command
     * @return its CommandLine with every subcommand, and the exit-code table in every command's help
     */
    static CommandLine commandLine(TokenctlCommand top) {
        return commandLine(top, new String[0]);
    }

    /**
     * Builds only the subcommand the arguments name (all of them for top-level help,
     * completion, or an unknown command, so that picocli can list or suggest them).
     */
    static CommandLine commandLine(TokenctlCommand top, String[] args) {
        CommandLine cl = new CommandLine(top);
        Subcommand named = Subcommand.named(subcommandNamed(args));
        boolean one = named != null && named != Subcommand.GENERATE_COMPLETION;
        for (Subcommand s : Subcommand.values()) {
            if (!one || s == named) {
                cl.addSubcommand(s.commandName(), s.create());
                if (!s.token()) {
                    withoutInherited(cl.getSubcommands().get(s.commandName()), "--timeout");
                }
            }
        }
        if (!one || helpAsked(args)) {
            addExitCodes(cl);
        }
        return cl;
    }

    /**
     * Removes an inherited option from a command and its subcommands: --timeout bounds
     * PKCS#11 calls, and a command that makes none must not offer it (its help would
     * promise what it does not do). {@code tokenctl --timeout 30 profiles} still parses.
     */
    private static void withoutInherited(CommandLine c, String option) {
        CommandLine.Model.OptionSpec o = c.getCommandSpec().findOption(option);
        if (o != null && o.inherited()) {
            c.getCommandSpec().remove(o);
        }
        c.getSubcommands().values().forEach(s -> withoutInherited(s, option));
    }

    /**
     * The exit-code table appears only in help; building it for every run formats
     * a string per code (java.util.Formatter and locale data: measurable start-up).
     */
    private static boolean helpAsked(String[] args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help") || a.equals("help")) {
                return true;
            }
        }
        return false;
    }

    private static void addExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpTable());
        for (CommandLine sub : cl.getSubcommands().values()) {
            addExitCodes(sub);
        }
    }
}
