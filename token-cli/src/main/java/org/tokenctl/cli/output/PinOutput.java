package org.tokenctl.cli.output;

import org.tokenctl.cli.CliContext;
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
     * @param token the token afterwards (its userPin/soPin states)
     */
    public record PinChangeView(int schemaVersion, String operation, String pin, Views.TokenView token) {
    }

    /**
     * @param ctx stdout
     * @param json --json
     * @param operation the command
     * @param who whose PIN was set
     * @param after the token's state afterwards
     */
    public static void print(CliContext ctx, boolean json, String operation, UserType who, TokenInfo after) {
        if (json) {
            Json.print(ctx.out(), new PinChangeView(Json.SCHEMA_VERSION, operation,
                    who == UserType.SO ? "so" : "user", Views.TokenView.of(after)));
            return;
        }
        ctx.out().printf("%s of token '%s' (serial %s) %s.%n", who == UserType.SO ? "SO PIN" : "User PIN",
                after.label(), after.serial(), operation.equals("unblock") ? "reset by the SO" : "changed");
        ctx.out().printf("  user PIN: %s; SO PIN: %s%n", TextFormat.pinState(after.userPin()),
                TextFormat.pinState(after.soPin()));
    }
}
