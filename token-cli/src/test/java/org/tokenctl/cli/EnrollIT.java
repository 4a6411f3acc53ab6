package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.cli.output.Json;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** The enrollment through the packaged launcher (shaded jar: BouncyCastle, the JNI wrapper), as a user runs it. */
@ExtendWith(SoftHsmExtension.class)
class EnrollIT {

    private static ProcessResult tokenctl(SoftHsmFixture f, String... args) {
        Map<String, String> env = new HashMap<>(f.env());
        env.put("XDG_DATA_HOME", f.root().resolve("xdg").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(SoftHsmFixture.repositoryRoot().resolve("tokenctl").toString());
        cmd.addAll(List.of(args));
        return Processes.run(env, new byte[0], cmd);
    }

    @Test
    void caInitEnrollAndAPkcs12FileThroughTheLauncher(SoftHsmFixture f) throws Exception {
        f.initToken("it", "so-pin-5", "55443322");
        Path dir = f.root();
        Path pin = Files.writeString(dir.resolve("user.pin"), "55443322\n");
        Path pw = Files.writeString(dir.resolve("p12.pw"), "file-pass-9\n");
        String ca = dir.resolve("ca.pem").toString();
        String caKey = dir.resolve("ca.key").toString();

        ProcessResult init = tokenctl(f, "ca", "init", "--out-cert", ca, "--out-key", caKey);
        assertEquals(0, init.exitCode(), init.both());

        ProcessResult enroll = tokenctl(f, "enroll", "--token-label", "it", "--pin-file", pin.toString(), "--label",
                "alice", "--subject", "CN=Alice,O=Example Bank", "--key-spec", "ec:p256", "--ca-cert", ca,
                "--ca-key", caKey, "--json");
        assertEquals(0, enroll.exitCode(), enroll.both());
        JsonNode json = Json.mapper().readTree(enroll.stdout());
        String id = json.get("key").get("id").asText();
        assertTrue(ObjectSnapshot.of(f, "it", "55443322").ofKind("Certificate Object").get(0)
                .contains("ID:         " + id));

        Path p12 = dir.resolve("alice.p12");
        ProcessResult file = tokenctl(f, "enroll", "--medium", "p12", "--out", p12.toString(), "--password-file",
                pw.toString(), "--label", "alice", "--subject", "CN=Alice", "--ca-cert", ca, "--ca-key", caKey);
        assertEquals(0, file.exitCode(), file.both());
        assertTrue(f.run(List.of("openssl", "pkcs12", "-info", "-noout", "-in", p12.toString(), "-passin",
                "file:" + pw)).assertOk().stderr().contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"));

        ProcessResult bad = tokenctl(f, "enroll", "--token-label", "it", "--pin-file", pin.toString(), "--label",
                "x", "--subject", "CN=x", "--ca-cert", ca, "--ca-key", dir.resolve("missing.key").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), bad.exitCode(), bad.both());
        assertEquals("", bad.stdout());
    }
}
