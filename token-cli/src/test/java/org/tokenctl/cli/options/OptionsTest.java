package org.tokenctl.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.key.HashAlgorithm;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.token.TokenSelector;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared option mixins, parsed by picocli as every command parses them, without a token. */
class OptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin UserPinOptions pin;
        @Mixin SoPinOptions soPin;
        @Mixin NewPinOptions newPin;
        @Mixin InitUserPinOptions initUserPin;
        @Mixin CaPasswordOptions caPassword;
        @Mixin FilePasswordOptions filePassword;
        @Mixin CmpSecretOptions cmpSecret;
        @Mixin TokenOptions token;
        @Mixin KeyRequestOptions key;
        @Mixin ModuleOptions module;
        @Mixin OutputOptions output;
    }

    private static Probe parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p;
    }

    private static String usageError(String... args) {
        return assertThrows(CommandLine.ParameterException.class, () -> parse(args)).getMessage();
    }

    /** Each secret's options, by prefix, with the role its messages use and how to get its source. */
    private record Secret(String prefix, String role, Function<Probe, PinSource> source) {
    }

    private static final List<Secret> SECRETS = List.of(
            new Secret("pin", "user PIN", p -> p.pin.source()),
            new Secret("so-pin", "SO PIN", p -> p.soPin.source()),
            new Secret("new-pin", "new PIN", p -> p.newPin.source()),
            new Secret("user-pin", "initial user PIN", p -> p.initUserPin.source()),
            new Secret("ca-password", "CA key password", p -> p.caPassword.source()),
            new Secret("password", "PKCS#12 file password", p -> p.filePassword.source()),
            new Secret("cmp-secret", "CMP shared secret", p -> p.cmpSecret.source()));

    @Test
    void eachSecretComesFromOneOfFourSources() {
        for (Secret s : SECRETS) {
            String opts = "--" + s.prefix + "-file, --" + s.prefix + "-env or --" + s.prefix + "-stdin";
            PinSource file = s.source.apply(parse("--" + s.prefix + "-file", "/run/secret"));
            assertEquals(new PinSource(s.role, PinSource.Kind.FILE, Path.of("/run/secret"), null, opts), file);
            PinSource env = s.source.apply(parse("--" + s.prefix + "-env", "SECRET_VAR"));
            assertEquals(new PinSource(s.role, PinSource.Kind.ENV, null, "SECRET_VAR", opts), env);
            assertEquals(PinSource.Kind.STDIN, s.source.apply(parse("--" + s.prefix + "-stdin")).kind());
            PinSource none = s.source.apply(parse());
            assertEquals(new PinSource(s.role, PinSource.Kind.PROMPT, null, null, opts), none);
        }
    }

    @Test
    void aSecretGivenTwoWaysIsAUsageError() {
        for (Secret s : SECRETS) {
            String opts = "--" + s.prefix + "-file, --" + s.prefix + "-env or --" + s.prefix + "-stdin";
            for (String[] twice : new String[][] {
                    {"--" + s.prefix + "-file", "f", "--" + s.prefix + "-env", "V"},
                    {"--" + s.prefix + "-file", "f", "--" + s.prefix + "-stdin"},
                    {"--" + s.prefix + "-env", "V", "--" + s.prefix + "-stdin"}}) {
                Probe p = parse(twice);
                CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                        () -> s.source.apply(p));
                assertEquals("Give the " + s.role + " one way only: " + opts, e.getMessage());
            }
        }
    }

    @Test
    void aSecretOnTheCommandLineIsRefusedWithoutKeepingIt() {
        for (Secret s : SECRETS) {
            String what = s.prefix.equals("cmp-secret") ? "shared secrets" : "PINs";
            String expected = "--" + s.prefix + " is not accepted: " + what + " are never taken from the command"
                    + " line; use --" + s.prefix + "-file, --" + s.prefix + "-env, --" + s.prefix
                    + "-stdin or the prompt";
            assertEquals(expected, usageError("--" + s.prefix, "24681357"));
            assertEquals(expected, usageError("--" + s.prefix + "=24681357"));
            assertEquals(expected, usageError("--" + s.prefix));
        }
    }

    @Test
    void theTokenIsChosenBySlotLabelOrSerial() throws Exception {
        assertEquals(TokenSelector.Kind.ONLY_INITIALIZED, TokenOptions.selector(null).kind());
        assertEquals(TokenSelector.Kind.ONLY_INITIALIZED, TokenOptions.selector(parse().token).kind());
        TokenSelector slot = TokenOptions.selector(parse("--slot", "7").token);
        assertEquals(TokenSelector.Kind.SLOT, slot.kind());
        assertEquals("7", slot.value());
        TokenSelector label = TokenOptions.selector(parse("--token-label", "alice").token);
        assertEquals(TokenSelector.Kind.LABEL, label.kind());
        assertEquals("alice", label.value());
        TokenSelector serial = TokenOptions.selector(parse("--serial", "9dca3ab4").token);
        assertEquals(TokenSelector.Kind.SERIAL, serial.kind());
        assertEquals("9dca3ab4", serial.value());
        assertThrows(InvalidInputException.class, () -> TokenOptions.selector(parse("--token-label", "").token));
        assertTrue(usageError("--slot", "seven").contains("--slot"));
    }

    @Test
    void theKeyRequestDefaultsToRsa2048WithTheKeysOwnHash() throws Exception {
        KeyRequestOptions none = parse().key;
        assertNull(none.keySpec());
        assertEquals(KeySpec.DEFAULT, none.spec());
        assertNull(none.hash());
        assertEquals(List.of(), none.sans());
        assertEquals(SignatureAlgorithm.SHA384_WITH_ECDSA, none.signatureAlgorithm(KeySpec.EC_P384));

        KeyRequestOptions ec = parse("--key-spec", "ec:p256", "--hash", "sha512", "--san", "dns:a.example", "--san",
                "email:a@example.com").key;
        assertEquals("ec:p256", ec.keySpec());
        assertEquals(KeySpec.EC_P256, ec.spec());
        assertEquals(HashAlgorithm.SHA512, ec.hash());
        assertEquals(SignatureAlgorithm.SHA512_WITH_ECDSA, ec.signatureAlgorithm(ec.spec()));
        assertEquals(List.of("dns:a.example", "email:a@example.com"), ec.sans());

        assertThrows(InvalidInputException.class, () -> parse("--key-spec", "dsa:1024").key.spec());
        assertThrows(InvalidInputException.class, () -> parse("--hash", "md5").key.hash());
        assertThrows(InvalidInputException.class,
                () -> parse("--hash", "md5").key.signatureAlgorithm(KeySpec.RSA_2048));
    }

    @Test
    void moduleProfileAndJsonAreTakenAsGiven() {
        Probe p = parse("--module", "/usr/lib/softhsm/libsofthsm2.so", "--profile", "gd", "--json");
        assertEquals(Path.of("/usr/lib/softhsm/libsofthsm2.so"), p.module.module());
        assertEquals("gd", p.module.profile());
        assertTrue(p.output.json());
        Probe none = parse();
        assertNull(none.module.module());
        assertNull(none.module.profile());
        assertFalse(none.output.json());
    }
}
