package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Every PKCS#11 call of {@code delete} failed in turn (see {@link FaultSweep}): each
 * of the three objects of a pair with its certificate must be exactly as before, or
 * gone, as the run says: all gone on success, none on a plain failure, and on exit 15
 * exactly those the message lists as deleted.
 */
@ExtendWith(SoftHsmExtension.class)
class DeleteFaultInjectionTest {

    private static final String TOKEN = "del-fault";
    private static final String PIN = "86420975";
    /** The parts of the state, each probed on its own: pkcs11-tool's type and tokenctl's name for it. */
    private static final String[][] PARTS = {{"cert", "certificate id="}, {"pubkey", "public key id="},
        {"privkey", "private key id="}};

    private static SoftHsmFixture fixture;
    private static Path pinFile;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-pin-del", PIN);
        pinFile = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        Path caCert = f.root().resolve("ca.pem");
        Path caKey = f.root().resolve("ca.key");
        Cli cli = new Cli(f);
        cli.run("ca", "init", "--out-cert", caCert.toString(), "--out-key", caKey.toString(), "--subject",
                "CN=Delete Fault CA").assertOk();
        cli.run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", "doomed", "--id",
                "d1", "--key-spec", "ec:p256", "--subject", "CN=doomed", "--ca-cert", caCert.toString(), "--ca-key",
                caKey.toString()).assertOk();
    }

    /** Each object kind with id d1, read by pkcs11-tool straight from SoftHSM. */
    private static List<String> parts(SoftHsmFixture f) {
        List<String> out = new ArrayList<>();
        for (String[] part : PARTS) {
            out.add(f.pkcs11Tool("--token-label", TOKEN, "--login", "--pin", PIN, "--list-objects", "--type",
                    part[0], "--id", "d1").assertOk().stdout());
        }
        return out;
    }

    /** What the run says it deleted: all, nothing, or (exit 15) what its message lists before what is left. */
    private static FaultSweep.Claim claim(CliResult r, int part) {
        FaultSweep.Claim plain = FaultSweep.byExitUnlessIncomplete(r);
        if (plain != null) {
            return plain;
        }
        return FaultSweep.deletedClaim(r.err(), PARTS[part][1]);
    }

    @Test
    void everyCallOfDeleteFailedLeavesWhatItSays() {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"delete",
            "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--id", "d1", "--force"},
                DeleteFaultInjectionTest::parts, DeleteFaultInjectionTest::claim);
        System.out.println(FaultSweep.summary("delete", out));
        // a fault at the second or third C_DestroyObject leaves part of the pair, and says which part
        assertTrue(out.stream().anyMatch(o -> o.function().equals("C_DestroyObject")
                && o.result().exitCode() == ExitCode.INCOMPLETE.code()), FaultSweep.summary("delete", out));
        // a fault at the first leaves everything: a plain token error, not "incomplete"
        assertTrue(out.stream().anyMatch(o -> o.function().equals("C_DestroyObject")
                && o.result().exitCode() == ExitCode.TOKEN_ERROR.code()), FaultSweep.summary("delete", out));
    }
}
