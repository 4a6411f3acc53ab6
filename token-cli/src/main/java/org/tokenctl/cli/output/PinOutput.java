package org.tokenctl.cli.output;

import org.tokenctl.cli.CliContext;
import org.tokenctl.core.admin.AdminResult;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;

/** What change-pin and unblock print: which PIN changed and the token's PIN state afterwards. */
public final class PinOutput {

    private PinOutput() {
    }

    /**
     * Output of {@code change-pin} and {@code unblock}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param operation "change-pin" or "unblock"
     * @param pin "user" or "so": the PIN that was set
     * @param token the token afterwards (its userPin/soPin states), null if it could not be read
     */
    public record PinChangeView(int schemaVersion, String operation, String pin, Views.TokenView token) {
    }

    /**
     * @param ctx stdout, and stderr for a warning when the state afterwards is unknown
     * @param json --json
     * @param operation the command
     * @param who whose PIN was set
     * @param result the token's state afterwards, or why it is unknown
     */
    public static void print(CliContext ctx, boolean json, String operation, UserType who, AdminResult result) {
        String pin = who == UserType.SO ? "SO PIN" : "User PIN";
        String done = operation.equals("unblock") ? "reset by the SO" : "changed";
        String what = pin + " " + done;
        TokenInfo after = result.after();
        if (result.followUpFailure() != null) {
            ctx.err().println("tokenctl: warning: " + what + ", but " + result.followUpFailure().getMessage());
        }
        if (json) {
            Json.print(ctx.out(), new PinChangeView(Json.SCHEMA_VERSION, operation,
                    who == UserType.SO ? "so" : "user", after == null ? null : Views.TokenView.of(after, null)));
            return;
        }
        if (after == null) {
            ctx.out().println(what + ".");
            return;
        }
        ctx.out().printf("%s of token '%s' (serial %s) %s.%n", pin, after.label(), after.serial(), done);
        ctx.out().printf("  user PIN: %s; SO PIN: %s%n", TextFormat.pinState(after.userPin()),
                TextFormat.pinState(after.soPin()));
    }
}
