package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code tokenctl enroll} on a token that ignores part of the key-generation template
 * (the vendor emulator's {@code keygen.ignore} in front of SoftHSM): the key pair is
 * generated, read back, found unprotected and deleted, and the operator gets the
 * documented exit code and one line naming the attribute. pkcs11-tool, not tokenctl,
 * says the token's objects are exactly as before.
 */
@ExtendWith(SoftHsmExtension.class)
class UnprotectedKeyEnrollTest {

    private static final String TOKEN = "careless";
    private static final String PIN = "36925814";

    private static SoftHsmFixture fixture;
    private static Path pinFile;
    private static Path caCert;
    private static Path caKey;
    private static Path trace;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-pin-7", PIN);
        pinFile = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        caCert = f.root().resolve("ca.pem");
        caKey = f.root().resolve("ca.key");
        trace = f.root().resolve("emulator-trace.log");
        new Cli(f).run("ca", "init", "--out-cert", caCert.toString(), "--out-key", caKey.toString()).assertOk();
        // a key enrolled earlier (straight on SoftHSM) must survive the deletion of the careless pair
        enroll(new Cli(f), "earlier").assertOk();
    }

    private static CliResult enroll(Cli cli, String label) {
        return cli.run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", label,
                "--subject", "CN=" + label, "--key-spec", "ec:p256", "--ca-cert", caCert.toString(), "--ca-key",
                caKey.toString());
    }

    /** tokenctl through the emulator, with these keys in its config and a fresh trace. */
    private static Cli throughEmulator(Map<String, String> keys) throws Exception {
        Files.deleteIfExists(trace);
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("softhsm.module", fixture.softhsmModule().toString());
        conf.put("trace.file", trace.toString());
        conf.putAll(keys);
        fixture.writeEmulatorConfig(conf);
        return new Cli(fixture).module(fixture.emulatorModule());
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    private static long traced(String line) throws Exception {
        return Files.readAllLines(trace).stream().filter(line::equals).count();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CKA_EXTRACTABLE", "CKA_DECRYPT", "CKA_SENSITIVE", "CKA_UNWRAP", "CKA_DERIVE",
        "CKA_SIGN_RECOVER"})
    void aKeyTheTokenDidNotProtectIsDeletedAndNamed(String attribute) throws Exception {
        ObjectSnapshot before = objects();
        boolean expected = attribute.equals("CKA_SENSITIVE");

        CliResult result = enroll(throughEmulator(Map.of("keygen.ignore", attribute)), "careless-" + attribute);

        // exit code 13, exactly one "tokenctl: ..." line, no stack trace (assertExit checks all three)
        result.assertExit(ExitCode.NOT_SUPPORTED)
                .assertErrContains("The token did not honour " + attribute + "=" + expected
                        + " for the new private key (it reports " + !expected + "); the key pair was deleted");
        assertEquals("", result.out(), "nothing on stdout: " + result.both());
        // the pair really was made, then destroyed (private and public key), through the real calls
        assertEquals(1, traced("C_GenerateKeyPair CKR_OK"), () -> result.both());
        assertEquals(2, traced("C_DestroyObject CKR_OK"), () -> result.both());
        assertEquals(0, traced("C_CreateObject CKR_OK"), "no certificate stored: " + result.both());
        assertEquals(before, objects(), "the token's objects are exactly as before");
    }

    @Test
    void theSameEnrollmentThroughAnHonestEmulatorSucceeds() throws Exception {
        // without keygen.ignore the same command keeps the pair: the refusals above come from the flip
        ObjectSnapshot before = objects();

        enroll(throughEmulator(Map.of()), "honest").assertOk();

        List<String> keys = objects().ofKind("Private Key Object");
        assertEquals(before.ofKind("Private Key Object").size() + 1, keys.size(), keys::toString);
        assertTrue(keys.stream().anyMatch(k -> k.contains("label:      honest\n")
                && k.contains("Access:     sensitive, always sensitive, never extractable, local")), keys::toString);
    }
}
