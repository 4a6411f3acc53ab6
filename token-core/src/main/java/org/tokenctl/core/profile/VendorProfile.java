package org.tokenctl.core.profile;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.tokenctl.core.module.Sm2Mechanisms;

import org.tokenctl.core.pin.PinPolicy;
import org.tokenctl.core.token.TokenInfo;

/**
 * What tokenctl knows about a family of tokens: how to find its PKCS#11 module,
 * how to recognise its tokens, and the rules to apply to them. Loaded from a
 * data file (see {@link ProfileRegistry}); nothing here is code.
 *
 * @param id short name used with {@code --profile}: gd, mingwah, huada, watchdata, softhsm, generic
 * @param name display name
 * @param manufacturer the manufacturer id its tokens typically report (also what the vendor emulator reports)
 * @param manufacturerPatterns regular expressions matched against a token's manufacturer id
 * @param model the model its tokens typically report
 * @param modules module file candidates per operating system (bare names are searched in the usual directories)
 * @param pinPolicy rules for a holder's new PIN, with the initial PIN tokens are issued with
 * @param pinRetries wrong user PINs before the token locks it (0: the token keeps no counter)
 * @param soPinRetries wrong SO PINs before the token locks it (0: unknown or no counter)
 * @param keySpecs the key specs its tokens support, e.g. "rsa:2048"
 * @param initTokenSupported whether C_InitToken works (bank-issued tokens are personalised by the issuer)
 * @param labelMaxBytes the longest token label, in UTF-8 bytes (at most 32)
 * @param quirks documented behaviours worth knowing, as short tags
 * @param verified whether the profile's facts were checked on real tokens
 * @param source where the profile was loaded from ("built-in" or a file)
 * @param sm2 how its tokens do SM2 (vendor constants, {@code sm2.*}), or null when they do not, or nothing
 *            public says how
 */
public record VendorProfile(String id, String name, String manufacturer, List<Pattern> manufacturerPatterns,
                            String model, Map<OperatingSystem, List<String>> modules, PinPolicy pinPolicy,
                            int pinRetries, int soPinRetries, List<String> keySpecs, boolean initTokenSupported,
                            int labelMaxBytes, List<String> quirks, boolean verified, String source,
                            Sm2Mechanisms sm2) {

    /**
     * Copies the collections.
     *
     * @param id short name used with {@code --profile}: gd, mingwah, huada, watchdata, softhsm, generic
     * @param name display name
     * @param manufacturer the manufacturer id its tokens typically report (also what the vendor emulator reports)
     * @param manufacturerPatterns regular expressions matched against a token's manufacturer id
     * @param model the model its tokens typically report
     * @param modules module file candidates per operating system (bare names are searched in the usual directories)
     * @param pinPolicy rules for a holder's new PIN, with the initial PIN tokens are issued with
     * @param pinRetries wrong user PINs before the token locks it (0: the token keeps no counter)
     * @param soPinRetries wrong SO PINs before the token locks it (0: unknown or no counter)
     * @param keySpecs the key specs its tokens support, e.g. "rsa:2048"
     * @param initTokenSupported whether C_InitToken works (bank-issued tokens are personalised by the issuer)
     * @param labelMaxBytes the longest token label, in UTF-8 bytes (at most 32)
     * @param quirks documented behaviours worth knowing, as short tags
     * @param verified whether the profile's facts were checked on real tokens
     * @param source where the profile was loaded from ("built-in" or a file)
     * @param sm2 how its tokens do SM2, or null
     */
    public VendorProfile {
        manufacturerPatterns = List.copyOf(manufacturerPatterns);
        modules = Map.copyOf(modules);
        keySpecs = List.copyOf(keySpecs);
        quirks = List.copyOf(quirks);
    }

    /**
     * @param token a token's info
     * @return whether its manufacturer id matches this profile
     */
    public boolean recognises(TokenInfo token) {
        return manufacturerPatterns.stream().anyMatch(p -> p.matcher(token.manufacturer()).matches());
    }

    /**
     * @param os an operating system
     * @return the module candidates for it (possibly none)
     */
    public List<String> modulesFor(OperatingSystem os) {
        return modules.getOrDefault(os, List.of());
    }
}
