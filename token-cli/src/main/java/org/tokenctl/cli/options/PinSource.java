package org.tokenctl.cli.options;

import java.nio.file.Path;

/**
 * Where one PIN comes from. Never the PIN itself: PINs are not accepted on the
 * command line (they would show in {@code ps} and shell history).
 *
 * @param role what the PIN is, for prompts and errors ("user PIN", "SO PIN", "new user PIN")
 * @param kind prompt, file, environment variable or stdin
 * @param file the file, for {@link Kind#FILE}
 * @param variable the variable name, for {@link Kind#ENV}
 * @param sourceOptions the option names that set it, for messages
 */
public record PinSource(String role, Kind kind, Path file, String variable, String sourceOptions) {

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
