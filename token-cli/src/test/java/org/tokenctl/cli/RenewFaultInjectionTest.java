package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Every PKCS#11 call of {@code renew --remove-old} failed in turn (see {@link FaultSweep}).
 * The state has four parts: what is new (the new pair and certificate) and each of the
 * three old objects. A plain failure leaves all four as before (the new pair rolled
 * back, the old untouched); success leaves them as after; exit 15 says the renewal
 * stands and lists exactly which old objects it deleted (none, when removing failed at
 * once), and pkcs11-tool must find exactly that.
 */
@ExtendWith(SoftHsmExtension.class)
class RenewFaultInjectionTest {

    private static final String TOKEN = "rn-fault";
    private static final String PIN = "75319864";
    private static final String OLD = "0d";
    /** The old objects: pkcs11-tool's type and tokenctl's name for each. */
    private static final String[][] OLD_PARTS = {{"Certificate Object", "certificate id=" + OLD},
        {"Public Key Object", "public key id=" + OLD}, {"Private Key Object", "private key id=" + OLD}};

    private static SoftHsmFixture fixture;
    private static Path pinFile;
    private static Path caCert;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-pin-rnf", PIN);
        pinFile = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        caCert = f.root().resolve("ca.pem");
        caKey = f.root().resolve("ca.key");
        Cli cli = new Cli(f);
        cli.run("ca", "init", "--out-cert", caCert.toString(), "--out-key", caKey.toString()).assertOk();
        cli.run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", "old", "--id", OLD,
                "--key-spec", "ec:p256", "--subject", "CN=Renewed Holder", "--ca-cert", caCert.toString(),
                "--ca-key", caKey.toString(), "--days", "20").assertOk();
    }

    /** Part 0: every object but the old ones, by kind, label, usage and access (new ids differ run to run). */
    private static List<String> parts(SoftHsmFixture f) {
        List<String> out = new ArrayList<>();
        ObjectSnapshot snapshot = ObjectSnapshot.of(f, TOKEN, PIN);
        out.add(snapshot.objects().stream()
                .filter(b -> !b.contains("ID:         " + OLD + "\n"))
                .map(b -> b.lines().filter(l -> !Character.isWhitespace(l.charAt(0))
                        || l.trim().startsWith("label:") || l.trim().startsWith("Usage:")
                        || l.trim().startsWith("Access:")).collect(Collectors.joining("\n")))
                .sorted().collect(Collectors.joining("\n--\n")));
        // (pkcs11-tool --list-objects does not filter by --id: pick the old blocks from the listing)
        for (String[] part : OLD_PARTS) {
            out.add(snapshot.ofKind(part[0]).stream().filter(b -> b.contains("ID:         " + OLD + "\n"))
                    .collect(Collectors.joining("--\n")));
        }
        return out;
    }

    /** What a run says: all done, nothing done, or (15) renewed with exactly the old objects it lists deleted. */
    private static FaultSweep.Claim claim(CliResult r, int part) {
        FaultSweep.Claim plain = FaultSweep.byExitUnlessIncomplete(r);
        if (plain != null) {
            return plain;
        }
        String err = r.err();
        if (!err.contains("renewed (new certificate")) {
            return FaultSweep.Claim.EITHER;
        }
        if (part == 0) {
            return FaultSweep.Claim.DONE;
        }
        if (!err.contains("deleted: ")) {
            assertTrue(err.contains("the old certificate and key are still on the token")
                    || err.contains("nothing old was removed"), "exit 15 must say what is left: " + err);
            return FaultSweep.Claim.NOT_DONE;
        }
        return FaultSweep.deletedClaim(err, OLD_PARTS[part - 1][1]);
    }

    @Test
    void everyCallOfARenewalFailedLeavesWhatItSays() {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"renew",
            "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--id", OLD, "--ca-cert", caCert.toString(),
            "--ca-key", caKey.toString(), "--remove-old"}, RenewFaultInjectionTest::parts,
                RenewFaultInjectionTest::claim);
        System.out.println(FaultSweep.summary("renew --remove-old", out));
        Set<String> reported = out.stream().filter(o -> o.result().exitCode() != 0).map(FaultSweep.Outcome::function)
                .collect(Collectors.toSet());
        for (String call : List.of("C_GenerateKeyPair", "C_SignInit", "C_Sign", "C_CreateObject",
                "C_DestroyObject")) {
            assertTrue(reported.contains(call), call + " was failed and handled: " + reported);
        }
        // removing the old objects can fail after the renewal: that is reported as such (15), never as a failure
        assertTrue(out.stream().anyMatch(o -> o.function().equals("C_DestroyObject")
                && o.result().exitCode() == ExitCode.INCOMPLETE.code()
                && o.result().err().contains("renewed (new certificate")), FaultSweep.summary("renew", out));
    }
}
