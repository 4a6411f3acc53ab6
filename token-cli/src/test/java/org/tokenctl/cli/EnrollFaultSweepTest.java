package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Every PKCS#11 call an enrollment makes, failed in turn by the vendor emulator
 * (CKR_DEVICE_ERROR): whichever call fails, the enrollment either succeeds
 * completely (a failure after the work is done, e.g. in C_Logout) or leaves the
 * token's objects exactly as they were, and says so in one line.
 */
@ExtendWith(SoftHsmExtension.class)
class EnrollFaultSweepTest {

    private static final String TOKEN = "faults";
    private static final String PIN = "11223344";

    @Test
    void whicheverCallFailsNothingHalfMadeIsLeft(SoftHsmFixture f) throws Exception {
        f.initToken(TOKEN, "so-pin-6", PIN);
        Path dir = f.root();
        Path pin = Files.writeString(dir.resolve("user.pin"), PIN + "\n");
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        new Cli(f).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString()).assertOk();

        Path trace = dir.resolve("clean.trace");
        f.writeEmulatorConfig(Map.of("trace.file", trace.toString()));
        enroll(f, pin, ca, caKey, "clean").assertOk();
        List<String> calls = Files.readAllLines(trace);
        assertEquals("C_Initialize CKR_OK", calls.get(0));
        int n = calls.size() - 1; // call K is line K (C_Initialize is call 0)

        Set<String> failedCleanly = new TreeSet<>();
        for (int k = 1; k <= n; k++) {
            Path faultTrace = dir.resolve("fault-" + k + ".trace");
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("fault.function", "any");
            conf.put("fault.call", Integer.toString(k));
            conf.put("fault.rv", "CKR_DEVICE_ERROR");
            conf.put("trace.file", faultTrace.toString());
            ObjectSnapshot before = ObjectSnapshot.of(f, TOKEN, PIN);
            f.writeEmulatorConfig(conf);
            CliResult r = enroll(f, pin, ca, caKey, "k" + k);
            f.writeEmulatorConfig(Map.of());
            ObjectSnapshot after = ObjectSnapshot.of(f, TOKEN, PIN);
            String faulted = Files.readAllLines(faultTrace).stream().filter(l -> l.endsWith(" CKR_DEVICE_ERROR"))
                    .findFirst().orElse("(none) at call " + k);
            if (r.exitCode() == ExitCode.OK.code()) {
                assertEquals(before.size() + 3, after.size(), faulted + ": success means key pair and certificate");
            } else {
                r.assertOneLineError();
                assertEquals(before, after, faulted + " left something behind: " + r.both());
                if (!faulted.startsWith("(none)")) {
                    failedCleanly.add(faulted.split(" ")[0]);
                }
            }
        }
        // the sweep really failed the calls that come after the key pair exists (a failed C_GetAttributeValue
        // is retried attribute by attribute inside the wrapper, so it may not surface)
        for (String mustFail : List.of("C_GenerateKeyPair", "C_SetAttributeValue", "C_SignInit", "C_Sign",
                "C_FindObjects", "C_CreateObject")) {
            assertTrue(failedCleanly.contains(mustFail), mustFail + " was failed and handled: " + failedCleanly);
        }
    }

    private static CliResult enroll(SoftHsmFixture f, Path pin, Path ca, Path caKey, String label) {
        return new Cli(f).module(f.emulatorModule()).run("enroll", "--token-label", TOKEN, "--pin-file",
                pin.toString(), "--label", label, "--subject", "CN=" + label, "--key-spec", "ec:p256", "--ca-cert",
                ca.toString(), "--ca-key", caKey.toString());
    }
}
