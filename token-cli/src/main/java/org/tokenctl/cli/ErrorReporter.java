package org.tokenctl.cli;

import java.io.PrintWriter;

import org.tokenctl.core.Remedy;
import org.tokenctl.core.Failure;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.ModuleLoadException;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.pin.AttemptGuardException;
import org.tokenctl.core.pin.PinLockedException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenSelectionException;
import org.tokenctl.core.token.TokenSelector;
import picocli.CommandLine;

/**
 * The one place where failures become a one-line message on stderr and a
 * documented exit code. Stack traces only with {@code --verbose}. With
 * {@code --json} the failure is also one JSON object on stdout, so that a script
 * reads one stream.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /**
     * What to say and which code to exit with.
     *
     * @param code the exit code
     * @param message what went wrong, one line
     * @param remedy what to do about it, as appended to the message ("; run ...", " (--days)"); null when nothing
     */
    record Report(ExitCode code, String message, String remedy) {

        Report(ExitCode code, String message) {
            this(code, message, null);
        }

        /** @return the line stderr shows: the message and the remedy */
        String text() {
            return remedy == null ? message : message + remedy;
        }

        /** @return the remedy alone, without what joins it to the message; null when none */
        String remedyAlone() {
            if (remedy == null) {
                return null;
            }
            String r = remedy.replaceFirst("^[\\s;:,]*(or\\s+)?", "").strip();
            return r.startsWith("(") && r.endsWith(")") ? r.substring(1, r.length() - 1) : r;
        }

        /** @return this report with more remedy appended */
        Report withRemedy(String more) {
            return new Report(code, message, remedy == null ? more : remedy + more);
        }
    }

    private final PrintWriter err;
    private final PrintWriter out;
    private final java.util.function.BooleanSupplier verbose;

    ErrorReporter(PrintWriter err, PrintWriter out, java.util.function.BooleanSupplier verbose) {
        this.err = err;
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Report r = report(ex);
        print(r, ex);
        if (jsonAsked(parseResult)) {
            printJson(out, r);
        }
        return r.code().code();
    }

    /** Whether the command that ran was given --json. */
    static boolean jsonAsked(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--json")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a command line that did not parse asked for --json: the words before
     * {@code --} are all there is to go by.
     */
    static boolean jsonAsked(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure as one JSON object on one line of stdout (docs/schema/error.schema.json).
     *
     * @param out stdout
     * @param r the failure
     */
    static void printJson(PrintWriter out, Report r) {
        org.tokenctl.cli.output.Json.printLine(out, org.tokenctl.cli.output.Views.FailureView.of(r.code().code(),
                r.code().name(), oneLine(r.text()), r.remedyAlone() == null ? null : oneLine(r.remedyAlone())));
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        if (!(ex instanceof CommandLine.UnmatchedArgumentException) && !cmd.getUnmatchedArguments().isEmpty()) {
            // a mistyped option also leaves a required one missing: the typo is the news
            ex = new CommandLine.UnmatchedArgumentException(cmd, cmd.getUnmatchedArguments());
        }
        String message = ex instanceof CommandLine.UnmatchedArgumentException u ? unmatched(u) : ex.getMessage();
        Report r = new Report(ExitCode.USAGE, oneLine(message), " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        // one line, the pointer to help included (once): scripts read the first line of stderr
        err.println("tokenctl: " + r.text());
        if (verbose.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.flush();
        if (jsonAsked(args)) {
            printJson(out, r);
        }
        return ExitCode.USAGE.code();
    }

    /**
     * What was not understood, with picocli's suggestions. A word on the command line
     * may be a secret typed in the wrong place, so it is quoted only when it looks like
     * an option (its name, up to any '=') or is close to a command's name (it has a
     * suggestion); other words are named by their position.
     */
    static String unmatched(CommandLine.UnmatchedArgumentException ex) {
        java.util.List<String> words = ex.getUnmatched();
        String first = words.isEmpty() ? "" : words.get(0);
        String name = first.startsWith("-") && first.indexOf('=') > 0 ? first.substring(0, first.indexOf('=')) : first;
        // picocli suggests loosely (a random word gets one): suggest the names a typo is near
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        java.util.List<String> names = new java.util.ArrayList<>(ex.getCommandLine().getSubcommands().keySet());
        if (name.startsWith("-")) {
            names.clear();
            spec.options().forEach(o -> names.addAll(java.util.List.of(o.names())));
        }
        java.util.List<String> suggestions = names.stream().distinct()
                .filter(c -> typoDistance(name, c) <= Math.min(2, (name.length() - 1) / 2)).toList();
        String didYouMean = suggestions.isEmpty() ? "" : "; did you mean: " + String.join(" or ", suggestions) + "?";
        if (first.startsWith("-") && first.length() > 1) {
            return "Unknown option '" + name + "'" + didYouMean;
        }
        boolean hasSubcommands = !ex.getCommandLine().getSubcommands().isEmpty();
        String what = hasSubcommands ? "Unknown command" : "Unexpected argument";
        if (!suggestions.isEmpty()) {
            return what + " '" + first + "'" + didYouMean;
        }
        int index = java.util.Arrays.asList(ex.getCommandLine().getParseResult() == null ? new String[0]
                : ex.getCommandLine().getParseResult().originalArgs().toArray(new String[0])).indexOf(first);
        return what + (index >= 0 ? " (argument " + (index + 1) + ")" : "")
                + (hasSubcommands ? "" : "; this command takes options only");
    }

    /** Edit distance counting an adjacent transposition as one edit (optimal string alignment). */
    static int typoDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    void print(Report r, Throwable ex) {
        err.println("tokenctl: " + oneLine(r.text()));
        if (verbose.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    /**
     * @param t any failure
     * @return its exit code and message
     */
    static Report report(Throwable t) {
        Report r = classify(t);
        if (t instanceof TokenctlException e && e.remedy().isPresent()) {
            return r.withRemedy(optionHint(e.remedy().get()));
        }
        return r;
    }

    /** What a CKR that means "the token went away or broke" suggests, in a few words; else nothing. */
    static String deviceHint(long ckr) {
        if (ckr == Pkcs11.CKR_DEVICE_REMOVED || ckr == Pkcs11.CKR_TOKEN_NOT_PRESENT) {
            return " (was the token removed?)";
        }
        if (ckr == Pkcs11.CKR_SESSION_HANDLE_INVALID || ckr == Pkcs11.CKR_SESSION_CLOSED) {
            return " (the token closed the session: was it removed or reset?)";
        }
        if (ckr == Pkcs11.CKR_DEVICE_ERROR) {
            return " (the token or its reader failed; try again, or another reader)";
        }
        if (ckr == Pkcs11.CKR_TOKEN_NOT_RECOGNIZED) {
            return " (the module does not recognise this token: is it initialised, and for this module?)";
        }
        return "";
    }

    private static Report classify(Throwable t) {
        if (t instanceof CliException c) {
            return new Report(c.exitCode(), c.getMessage());
        }
        if (t instanceof TokenctlException e) {
            return classify(e);
        }
        if (t instanceof CommandLine.ParameterException) {
            return new Report(ExitCode.USAGE, t.getMessage());
        }
        return new Report(ExitCode.ERROR, "unexpected error: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()) + " (run with --verbose for details)");
    }

    /**
     * The exit code belongs to the failure's kind, and this switch is exhaustive:
     * a new {@link Failure} does not compile until it has an exit code here, and a
     * new exception type cannot exist without a kind.
     */
    private static Report classify(TokenctlException t) {
        String m = t.getMessage();
        return switch (t.failure()) {
            case INITIAL_PIN -> new Report(ExitCode.INITIAL_PIN, m, ": run `tokenctl change-pin`");
            case PIN_INCORRECT -> new Report(ExitCode.PIN_INCORRECT, m);
            case PIN_NOT_SET -> new Report(ExitCode.PIN_LOCKED, "The token has no user PIN yet", "; the security"
                    + " officer sets one with `tokenctl unblock` (needs the SO PIN)");
            case PIN_LOCKED -> t instanceof PinLockedException l && l.userType() == UserType.USER
                    ? new Report(ExitCode.PIN_LOCKED, "The user PIN is locked", "; the security officer can unblock"
                    + " it with `tokenctl unblock` (needs the SO PIN)") : new Report(ExitCode.PIN_LOCKED, m);
            case PIN_FINAL_TRY -> new Report(ExitCode.PIN_FINAL_TRY, m,
                    "; pass --allow-final-try if you are sure of the PIN");
            case PIN_POLICY -> new Report(ExitCode.PIN_POLICY, m);
            case ATTEMPT_GUARD -> new Report(ExitCode.ATTEMPT_GUARD, m, t instanceof AttemptGuardException g
                    ? emptyAsNull(GuardWayOut.of(g)) : null);
            case MODULE -> new Report(ExitCode.MODULE, m, t instanceof ModuleLoadException l
                    && l.reason() == ModuleLoadException.Reason.NOT_LOCATED ? "; name the module with --module" : null);
            case TOKEN_SELECTION -> new Report(ExitCode.TOKEN_NOT_FOUND, m, t instanceof TokenSelectionException s
                    ? emptyAsNull(initHint(s)) : null);
            case INVALID_INPUT -> new Report(ExitCode.INVALID_INPUT, m);
            case NOT_SUPPORTED -> new Report(ExitCode.NOT_SUPPORTED, m);
            case ISSUANCE -> new Report(ExitCode.ISSUANCE, m);
            case CERT_MISMATCH -> new Report(ExitCode.CERT_MISMATCH, m);
            case CANCELLED -> new Report(ExitCode.INTERRUPTED, m);
            case INCOMPLETE -> new Report(ExitCode.INCOMPLETE, m);
            case TOKEN_ERROR -> new Report(ExitCode.TOKEN_ERROR, t instanceof Pkcs11CallException p
                    ? m + deviceHint(p.ckr()) : m);
        };
    }

    /**
     * token-core speaks of what is wrong, not of this CLI's options; a failure that one
     * setting mends names it as a {@link Remedy}, and this names the option. The switch is
     * exhaustive, so a new remedy does not compile until it has an option here.
     *
     * @param remedy what the library says mends the failure
     * @return the text that points to this CLI's option for it
     */
    static String optionHint(Remedy remedy) {
        return switch (remedy) {
            case REPLACE_EXISTING -> " (pass --force to replace it)";
            case KEY_ID -> " (--id)";
            case EXISTING_KEY -> " (--key-id ID)";
            case VALIDITY -> " (--days)";
            case SEPARATE_OUTPUTS -> " (--out-cert, --out-key)";
            case CMP_TRUST_ANCHORS -> " (--cmp-trusted)";
            case CMP_TLS_TRUST_ANCHORS -> " (--cmp-tls-trusted)";
            case CMP_POLL_TIMEOUT -> " (--cmp-poll-timeout)";
            case CMP_SHARED_SECRET -> " (--cmp-secret-file, --cmp-secret-env or --cmp-secret-stdin)";
            case CMP_REFERENCE -> " (--cmp-ref)";
            case DUPLICATE_LABEL -> " (pass --allow-duplicate-label to make a second one anyway)";
        };
    }

    /** The default selection found tokens, none of them initialised: say what makes one. */
    private static String initHint(TokenSelectionException e) {
        return e.selector() != null && e.selector().kind() == TokenSelector.Kind.ONLY_INITIALIZED
                && e.reason() == TokenSelectionException.Reason.NOT_FOUND
                ? "; initialise one with `tokenctl init --label LABEL`" : "";
    }

    private static String emptyAsNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** Keeps a failure to one line whatever the underlying library put in it. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }
}
