package org.tokenctl.cli.options;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.core.uri.Pkcs11Uri;
import picocli.CommandLine.Option;

/**
 * Which token: {@code --slot}, {@code --token-label}, {@code --serial} or
 * {@code --uri} (mutually exclusive; use as an exclusive {@code @ArgGroup}). With
 * none, the only initialised token ({@code init} chooses its own default).
 */
public final class TokenOptions {

    @Option(names = "--slot", paramLabel = "ID",
            description = "Token in slot ID (slot ids can change between runs: prefer --token-label or --serial).")
    private Long slot;

    @Option(names = "--token-label", paramLabel = "LABEL", description = "Token with this label.")
    private String label;

    @Option(names = "--serial", paramLabel = "SERIAL", description = "Token with this serial number.")
    private String serial;

    @Option(names = "--uri", paramLabel = "URI", description = "Token matching this RFC 7512 pkcs11: URI (token=,"
            + " serial=, manufacturer=, model=, slot-id=), as list prints it; quote it in the shell.")
    private String uri;

    /**
     * @param options the parsed group, or null
     * @return the --uri given, parsed, or null
     * @throws InvalidInputException if it is not a URI tokenctl can honour
     */
    public static Pkcs11Uri uri(TokenOptions options) throws InvalidInputException {
        return options == null || options.uri == null ? null : Pkcs11Uri.parse(options.uri);
    }

    /**
     * @param options the parsed group, or null when none of its options was given
     * @return the selector the options describe (the only initialised token when none)
     * @throws InvalidInputException if --token-label or --serial is empty, or --uri is not a URI tokenctl can
     *         honour
     */
    public static TokenSelector selector(TokenOptions options) throws InvalidInputException {
        if (options == null) {
            return TokenSelector.onlyInitializedToken();
        }
        if (options.uri != null) {
            return TokenSelector.uri(Pkcs11Uri.parse(options.uri));
        }
        if (options.slot != null) {
            return TokenSelector.slot(options.slot);
        }
        if (options.label != null) {
            return TokenSelector.label(options.label);
        }
        return options.serial != null ? TokenSelector.serial(options.serial) : TokenSelector.onlyInitializedToken();
    }
}
