package org.tokenctl.cli.options;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.token.TokenSelector;
import picocli.CommandLine.Option;

/**
 * Which token: {@code --slot}, {@code --token-label} or {@code --serial}
 * (mutually exclusive; use as an exclusive {@code @ArgGroup}). With none, the only
 * initialised token ({@code init} chooses its own default).
 */
public final class TokenOptions {

    @Option(names = "--slot", paramLabel = "ID",
            description = "Token in slot ID (slot ids can change between runs: prefer --token-label or --serial).")
    private Long slot;

    @Option(names = "--token-label", paramLabel = "LABEL", description = "Token with this label.")
    private String label;

    @Option(names = "--serial", paramLabel = "SERIAL", description = "Token with this serial number.")
    private String serial;

    /**
     * @param options the parsed group, or null when none of its options was given
     * @return the selector the options describe (the only initialised token when none)
     * @throws InvalidInputException if --token-label or --serial is empty
     */
    public static TokenSelector selector(TokenOptions options) throws InvalidInputException {
        if (options == null) {
            return TokenSelector.onlyInitializedToken();
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
