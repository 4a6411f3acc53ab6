package org.tokenctl.cli;

import java.io.PrintWriter;

import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.cert.CertificateMismatchException;
import org.tokenctl.core.enroll.EnrollmentCancelledException;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.module.ModuleInitializeException;
import org.tokenctl.core.module.ModuleLoadException;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.pin.AttemptGuardException;
import org.tokenctl.core.pin.InitialPinException;
import org.tokenctl.core.pin.PinFinalTryException;
import org.tokenctl.core.pin.PinIncorrectException;
import org.tokenctl.core.pin.PinLockedException;
import org.tokenctl.core.pin.PinNotSetException;
import org.tokenctl.core.pin.PinPolicyException;
import org.tokenctl.core.pin.SharedPinRefusedException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenSelectionException;
import org.tokenctl.core.token.TokenSelector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import picocli.CommandLine;

/**
 * The one place where failures become a one-line message on stderr and a
 * documented exit code. Stack traces only with {@code --verbose}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /** What to say and which code to exit with. */
    record Report(ExitCode code, String message) {
    }

    private final PrintWriter err;
    private final java.util.function.BooleanSupplier verbose;

    ErrorReporter(PrintWriter err, java.util.function.BooleanSupplier verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Report r = report(ex);
        print(r, ex);
        return r.code().code();
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        // one line, the pointer to help included: scripts read the first line of stderr
        err.println("tokenctl: " + oneLine(ex.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        if (verbose.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE.code();
    }

    void print(Report r, Throwable ex) {
        err.println("tokenctl: " + oneLine(r.message()));
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
            return new Report(r.code(), r.message() + optionHint(e.remedy().get()));
        }
        return r;
    }

    /** What a CKR that means "the token went away or broke" suggests, in a few words; else nothing. */
    static String deviceHint(long ckr) {
        if (ckr == PKCS11Constants.CKR_DEVICE_REMOVED || ckr == PKCS11Constants.CKR_TOKEN_NOT_PRESENT) {
            return " (was the token removed?)";
        }
        if (ckr == PKCS11Constants.CKR_SESSION_HANDLE_INVALID || ckr == PKCS11Constants.CKR_SESSION_CLOSED) {
            return " (the token closed the session: was it removed or reset?)";
        }
        if (ckr == PKCS11Constants.CKR_DEVICE_ERROR) {
            return " (the token or its reader failed; try again, or another reader)";
        }
        if (ckr == PKCS11Constants.CKR_TOKEN_NOT_RECOGNIZED) {
            return " (the module does not recognise this token: is it initialised, and for this module?)";
        }
        return "";
    }

    private static Report classify(Throwable t) {
        if (t instanceof CliException) {
            return new Report(((CliException) t).exitCode(), t.getMessage());
        }
        if (t instanceof InitialPinException) {
            return new Report(ExitCode.INITIAL_PIN, t.getMessage() + ": run `tokenctl change-pin`");
        }
        if (t instanceof PinIncorrectException || t instanceof SharedPinRefusedException) {
            return new Report(ExitCode.PIN_INCORRECT, t.getMessage());
        }
        if (t instanceof PinNotSetException) {
            return new Report(ExitCode.PIN_LOCKED, "The token has no user PIN yet; the security officer sets one with"
                    + " `tokenctl unblock` (needs the SO PIN)");
        }
        if (t instanceof PinLockedException) {
            return new Report(ExitCode.PIN_LOCKED, ((PinLockedException) t).userType() == UserType.USER
                    ? "The user PIN is locked; the security officer can unblock it with `tokenctl unblock` (needs the SO PIN)"
                    : t.getMessage());
        }
        if (t instanceof PinFinalTryException) {
            return new Report(ExitCode.PIN_FINAL_TRY, t.getMessage()
                    + "; pass --allow-final-try if you are sure of the PIN");
        }
        if (t instanceof PinPolicyException) {
            return new Report(ExitCode.PIN_POLICY, t.getMessage());
        }
        if (t instanceof AttemptGuardException) {
            return new Report(ExitCode.ATTEMPT_GUARD, t.getMessage() + GuardWayOut.of((AttemptGuardException) t));
        }
        if (t instanceof ModuleLoadException
                && ((ModuleLoadException) t).reason() == ModuleLoadException.Reason.NOT_LOCATED) {
            return new Report(ExitCode.MODULE, t.getMessage() + "; name the module with --module");
        }
        if (t instanceof ModuleInitializeException || t instanceof ModuleLoadException) {
            return new Report(ExitCode.MODULE, t.getMessage());
        }
        if (t instanceof TokenSelectionException) {
            return new Report(ExitCode.TOKEN_NOT_FOUND, t.getMessage() + initHint((TokenSelectionException) t));
        }
        if (t instanceof InvalidInputException) {
            return new Report(ExitCode.INVALID_INPUT, t.getMessage());
        }
        if (t instanceof UnsupportedByTokenException) {
            return new Report(ExitCode.NOT_SUPPORTED, t.getMessage());
        }
        if (t instanceof IssuanceException) {
            return new Report(ExitCode.ISSUANCE, t.getMessage());
        }
        if (t instanceof CertificateMismatchException) {
            return new Report(ExitCode.CERT_MISMATCH, t.getMessage());
        }
        if (t instanceof EnrollmentCancelledException) {
            return new Report(ExitCode.INTERRUPTED, t.getMessage());
        }
        if (t instanceof IncompleteOperationException) {
            return new Report(ExitCode.INCOMPLETE, t.getMessage());
        }
        if (t instanceof Pkcs11CallException) {
            Pkcs11CallException p = (Pkcs11CallException) t;
            return new Report(ExitCode.TOKEN_ERROR, p.getMessage() + deviceHint(p.ckr()));
        }
        if (t instanceof TokenctlException) {
            return new Report(ExitCode.TOKEN_ERROR, t.getMessage());
        }
        if (t instanceof CommandLine.ParameterException) {
            return new Report(ExitCode.USAGE, t.getMessage());
        }
        return new Report(ExitCode.ERROR, "unexpected error: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()) + " (run with --verbose for details)");
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
        };
    }

    /** The default selection found tokens, none of them initialised: say what makes one. */
    private static String initHint(TokenSelectionException e) {
        return e.selector() != null && e.selector().kind() == TokenSelector.Kind.ONLY_INITIALIZED
                && e.reason() == TokenSelectionException.Reason.NOT_FOUND
                ? "; initialise one with `tokenctl init --label LABEL`" : "";
    }

    /** Keeps a failure to one line whatever the underlying library put in it. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }
}
