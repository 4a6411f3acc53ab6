package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** Every PKCS#11 call of init, change-pin and unblock, failed in turn (see {@link FaultSweep}). */
@ExtendWith(SoftHsmExtension.class)
class FaultInjectionTest {

    private static SoftHsmFixture fixture;
    private static Path userPin;
    private static Path newPin;
    private static Path soPin;
    private static Path newSoPin;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken("faults", "fault-so-1", "24681357");
        userPin = Files.writeString(f.root().resolve("user.pin"), "24681357");
        newPin = Files.writeString(f.root().resolve("new.pin"), "97531864");
        soPin = Files.writeString(f.root().resolve("so.pin"), "fault-so-1");
        newSoPin = Files.writeString(f.root().resolve("new-so.pin"), "fault-so-2");
    }

    /** Which PINs work, and the token's label and objects, read with pkcs11-tool straight from SoftHSM. */
    private static String pinState(SoftHsmFixture f) {
        StringBuilder sb = new StringBuilder();
        for (String pin : List.of("24681357", "97531864")) {
            ProcessResult r = f.pkcs11Tool("--token-label", "faults", "--login", "--pin", pin, "--list-objects");
            sb.append("user ").append(pin).append(r.exitCode() == 0 ? " works" : " fails").append('\n');
        }
        for (String so : List.of("fault-so-1", "fault-so-2")) {
            ProcessResult r = f.pkcs11Tool("--token-label", "faults", "--session-rw", "--login", "--login-type", "so",
                    "--so-pin", so, "--list-objects");
            sb.append("so ").append(so).append(r.exitCode() == 0 ? " works" : " fails").append('\n');
        }
        return sb.toString();
    }

    /** Token labels and the public objects of the token being re-initialised (its user PIN may not be set). */
    private static String initState(SoftHsmFixture f) {
        String slots = f.pkcs11Tool("-L").stdout().lines().filter(l -> l.contains("token label"))
                .map(String::trim).sorted().collect(java.util.stream.Collectors.joining("\n"));
        String label = slots.contains(": reborn") ? "reborn" : "old-one";
        return slots + "\n" + f.pkcs11Tool("--token-label", label, "--list-objects").stdout();
    }

    @Test
    void init() {
        fixture.initToken("old-one", "fault-so-1", "24681357");
        fixture.pkcs11Tool("--token-label", "old-one", "--login", "--pin", "24681357", "--keypairgen", "--key-type",
                "EC:prime256v1", "--label", "doomed").assertOk();
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"init",
            "--token-label", "old-one", "--label", "reborn", "--force", "--so-pin-file", soPin.toString()},
                FaultInjectionTest::initState);
        System.out.println(FaultSweep.summary("init", out));
        assertTrue(out.stream().anyMatch(o -> o.result().exitCode() == ExitCode.INCOMPLETE.code()),
                "a fault between C_InitToken and C_InitPIN leaves an initialised token without a user PIN, and says so");
    }

    @Test
    void changePin() {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"change-pin",
            "--token-label", "faults", "--pin-file", userPin.toString(), "--new-pin-file", newPin.toString()},
                FaultInjectionTest::pinState);
        System.out.println(FaultSweep.summary("change-pin", out));
        assertTrue(out.size() >= 15, FaultSweep.summary("change-pin", out));
    }

    @Test
    void changeSoPin() {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"change-pin", "--so",
            "--token-label", "faults", "--so-pin-file", soPin.toString(), "--new-pin-file", newSoPin.toString()},
                FaultInjectionTest::pinState);
        System.out.println(FaultSweep.summary("change-pin --so", out));
    }

    @Test
    void unblock() {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"unblock",
            "--token-label", "faults", "--so-pin-file", soPin.toString(), "--new-pin-file", newPin.toString()},
                FaultInjectionTest::pinState);
        System.out.println(FaultSweep.summary("unblock", out));
    }
}
