package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * A private key with the label asked for and no certificate (an enrollment that did not
 * finish) stops {@code enroll} from making a second key pair with that label: exit 11,
 * one line naming the key's id and the ways forward, nothing created. Enrolling that key
 * by its id then works.
 */
@ExtendWith(SoftHsmExtension.class)
class UnfinishedEnrollmentTest {

    private static final String TOKEN = "unfinished";
    private static final String PIN = "74185296";
    private static SoftHsmFixture fixture;
    private static Path pinFile;
    private static TestCa ca;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-pin-7", PIN);
        pinFile = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        ca = TestCa.make(f);
    }

    private static CliResult enroll(String... more) {
        List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--subject", "CN=unfinished"));
        args.addAll(List.of(more));
        return new Cli(fixture).run(args.toArray(new String[0]));
    }

    @Test
    void aKeyWithoutCertificateBlocksASecondPairWithItsLabel() {
        // the state an enrollment killed between key generation and certificate leaves
        String id = enroll("--label", "orphan", "--key-spec", "ec:p256", "--csr-out", fixture.root().resolve("orphan.csr").toString(),
                "--json").assertOk().json().get("key").get("id").asText();
        ObjectSnapshot before = ObjectSnapshot.of(fixture, TOKEN, PIN);

        CliResult r = enroll(concat(new String[] {"--label", "orphan"}, ca.options()))
                .assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("already holds a private key labelled 'orphan' with id " + id
                        + " and no certificate")
                .assertErrContains("tokenctl delete --id " + id + " --type pair")
                .assertErrContains("(--key-id ID)");
        assertEquals(1, r.err().strip().lines().count(), r.both());
        assertEquals(before, ObjectSnapshot.of(fixture, TOKEN, PIN), "no second key pair");

        // the other way forward, as the message says: delete the pair, then the label is free again
        new Cli(fixture).run("delete", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--id", id,
                "--type", "pair", "--force").assertOk();
        assertEquals(before.size() - 2, ObjectSnapshot.of(fixture, TOKEN, PIN).size());
        id = enroll("--label", "orphan", "--key-spec", "ec:p256", "--csr-out",
                fixture.root().resolve("orphan2.csr").toString(), "--json").assertOk().json().get("key").get("id")
                .asText();
        before = ObjectSnapshot.of(fixture, TOKEN, PIN);

        // the way forward: enroll that key pair
        enroll(concat(new String[] {"--key-id", id}, ca.options())).assertOk();
        assertEquals(before.size() + 1, ObjectSnapshot.of(fixture, TOKEN, PIN).size(), "its certificate only");
        // with its certificate there, the label is a finished enrollment: a new pair shares it only when asked to
        enroll(concat(new String[] {"--label", "orphan"}, ca.options())).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("labelled 'orphan' with its certificate (key id " + id + ")");
        enroll(concat(new String[] {"--label", "orphan", "--allow-duplicate-label"}, ca.options())).assertOk();

        // finished pairs and an unfinished one under the label: the unfinished one is named, whatever the order
        // the token lists them in, and a second pair is refused even where duplicates are allowed
        String left = enroll("--label", "orphan", "--allow-duplicate-label", "--key-spec", "ec:p256", "--csr-out",
                fixture.root().resolve("orphan3.csr").toString(), "--json").assertOk().json().get("key").get("id")
                .asText();
        before = ObjectSnapshot.of(fixture, TOKEN, PIN);
        enroll(concat(new String[] {"--label", "orphan", "--allow-duplicate-label"}, ca.options()))
                .assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("already holds a private key labelled 'orphan' with id " + left
                        + " and no certificate");
        assertEquals(before, ObjectSnapshot.of(fixture, TOKEN, PIN), "no further key pair");
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }
}
