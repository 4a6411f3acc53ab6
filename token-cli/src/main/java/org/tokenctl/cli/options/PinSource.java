package org.tokenctl.cli.options;

import java.nio.file.Path;

import org.tokenctl.core.token.TokenInfo;

/**
 * Where one PIN comes from. Never the PIN itself: PINs are not accepted on the
 * command line (they would show in {@code ps} and shell history).
 *
 * @param role what the PIN is, for prompts and errors ("user PIN", "SO PIN", "new user PIN")
 * @param kind prompt, file, environment variable or stdin
 * @param file the file, for {@link Kind#FILE}
 * @param variable the variable name, for {@link Kind#ENV}
 * @param sourceOptions the option names that set it, for messages
 * @param target what the PIN is for, named in the prompt ("token 'alice' (serial 9dca3ab4)"); null when
 *               the role says it all (a CA key password)
 */
public record PinSource(String role, Kind kind, Path file, String variable, String sourceOptions, String target) {

    /**
     * A source not yet tied to a token.
     *
     * @param role what the PIN is
     * @param kind where it comes from
     * @param file the file, for {@link Kind#FILE}
     * @param variable the variable, for {@link Kind#ENV}
     * @param sourceOptions the option names that set it
     */
    public PinSource(String role, Kind kind, Path file, String variable, String sourceOptions) {
        this(role, kind, file, variable, sourceOptions, null);
    }

    /**
     * The same source, for one token: its prompt names the token, so that an operator
     * with several tokens plugged in types the PIN of the right one.
     *
     * @param token the token the PIN is for
     * @return a copy naming it
     */
    public PinSource forToken(TokenInfo token) {
        String label = token.label().isEmpty() ? "" : "'" + token.label() + "' ";
        String serial = token.serial().isEmpty() ? "" : "(serial " + token.serial() + ")";
        return forTarget(("token " + label + serial).trim());
    }

    /**
     * @param what what the PIN is for, in a few words ("the 12 tokens of this batch")
     * @return a copy naming it in the prompt
     */
    public PinSource forTarget(String what) {
        return new PinSource(role, kind, file, variable, sourceOptions, what);
    }

    /**
     * @param newRole another name for the PIN ("new SO PIN" where "new PIN" was generic)
     * @return a copy with that name
     */
    public PinSource named(String newRole) {
        return new PinSource(newRole, kind, file, variable, sourceOptions, target);
    }

    /** @return the prompt's text: "User PIN for token 'alice' (serial 9dca3ab4): " */
    public String prompt() {
        return Character.toUpperCase(role.charAt(0)) + role.substring(1) + (target == null ? "" : " for " + target)
                + ": ";
    }

    /** The four ways to give a PIN. */
    public enum Kind {
        /** ask on the terminal without echo */
        PROMPT,
        /** read the file, which holds the secret alone on one line (one trailing newline stripped) */
        FILE,
        /** read an environment variable */
        ENV,
        /** read one line from standard input */
        STDIN
    }

    /**
     * What a {@link Kind#FILE} source is called in messages: the file holds a PIN, a
     * password or a shared secret, and calling a password file a "PIN file" sends the
     * reader looking for the wrong file.
     *
     * @return "PIN file", "password file" or "secret file"
     */
    public String fileKind() {
        if (role.contains("PIN")) {
            return "PIN file";
        }
        if (role.contains("password")) {
            return "password file";
        }
        return role.contains("secret") ? "secret file" : "file";
    }

    /** @return whether the user named a source explicitly (anything but the prompt) */
    public boolean explicit() {
        return kind != Kind.PROMPT;
    }

    /**
     * Standard input can be read once: at most one secret may come from it.
     *
     * @param sources the sources of one command
     * @return whether more than one of them is standard input
     */
    public static boolean severalFromStdin(PinSource... sources) {
        return java.util.Arrays.stream(sources).filter(s -> s.kind() == Kind.STDIN).count() > 1;
    }
}
