package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.cli.output.Json;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** The packaged launcher, run as a separate process the way a user runs it. */
@ExtendWith(SoftHsmExtension.class)
class LauncherIT {

    private static ProcessResult tokenctl(SoftHsmFixture f, Path tmp, String... args) {
        return tokenctl(f, tmp, f.root().resolve("xdg"), args);
    }

    /** With a data directory of its own: the SoftHSM note shows once per directory (see the test below). */
    private static ProcessResult tokenctl(SoftHsmFixture f, Path tmp, Path dataHome, String... args) {
        Map<String, String> env = new HashMap<>(f.env());
        env.put("XDG_DATA_HOME", dataHome.toString());
        // the wrapper would extract its JNI library into java.io.tmpdir: watch that directory
        env.put("TOKENCTL_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(SoftHsmFixture.repositoryRoot().resolve("tokenctl").toString());
        cmd.addAll(List.of(args));
        return Processes.run(env, new byte[0], cmd);
    }

    /**
     * Without SOFTHSM2_CONF, the launcher gives SoftHSM a per-user token directory,
     * and tokenctl creates it on first use (never the system one).
     */
    @Test
    void perUserSoftHsmDirectoryOnFirstUse(SoftHsmFixture f) throws Exception {
        Path home = Files.createDirectories(f.root().resolve("home"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", "");
        env.put("SOFTHSM2_CONF", "");
        env.put("TOKENCTL_MODULE", "");
        Path so = Files.writeString(f.root().resolve("so2.pin"), "per-user-so-1\n");
        List<String> launcher = List.of("/bin/sh", "-c", "unset SOFTHSM2_CONF XDG_DATA_HOME TOKENCTL_MODULE; exec \""
                + SoftHsmFixture.repositoryRoot().resolve("tokenctl") + "\" \"$@\"", "tokenctl");
        List<String> init = new java.util.ArrayList<>(launcher);
        init.addAll(List.of("init", "--label", "mine", "--force", "--so-pin-file", so.toString()));
        ProcessResult r = Processes.run(env, new byte[0], init);
        assertEquals(0, r.exitCode(), r.both());
        assertTrue(r.stderr().contains("created per-user token directory " + home
                + "/.local/share/tokenctl/softhsm2/tokens"), r.both());
        assertTrue(Files.isRegularFile(home.resolve(".local/share/tokenctl/softhsm2/softhsm2.conf")));
        List<String> list = new java.util.ArrayList<>(launcher);
        list.addAll(List.of("list", "--json"));
        ProcessResult again = Processes.run(env, new byte[0], list);
        assertTrue(again.stdout().contains("\"label\" : \"mine\""), again.both());
    }

    /**
     * A batch the launcher runs (C1 only) with an RSA CA: from 2 certificates the CA key is
     * imported into NSS's softoken on another thread and signs there once ready (NativeRsa). Whoever
     * signs each certificate, OpenSSL verifies every one against the CA, stdout holds
     * only JSON lines, and NSS's thread never troubles the exit.
     */
    @Test
    void aBatchSignedByAnRsaCaVerifies(SoftHsmFixture f) throws Exception {
        Path tmp = Files.createDirectories(f.root().resolve("tmp-rsa"));
        List<String> labels = new java.util.ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            labels.add(String.format("rsaca-%02d", i));
        }
        f.initTokens(labels, "so-pin-rsa", "36925814");
        Path pin = Files.writeString(f.root().resolve("rsa.pin"), "36925814\n");
        Path caCert = f.root().resolve("rsa-ca.pem");
        Path caKey = f.root().resolve("rsa-ca.key");
        Path data = f.root().resolve("xdg-rsa");
        ProcessResult ca = tokenctl(f, tmp, data, "ca", "init", "--out-cert", caCert.toString(), "--out-key",
                caKey.toString(), "--key-spec", "rsa:2048");
        assertEquals(0, ca.exitCode(), ca.both());

        ProcessResult batch = tokenctl(f, tmp, data, "batch-enroll", "--pin-file", pin.toString(), "--subject",
                "CN=Holder {label}", "--key-spec", "ec:p256", "--ca-cert", caCert.toString(), "--ca-key",
                caKey.toString(), "--json", "--verbose");
        assertEquals(0, batch.exitCode(), batch.both());
        List<String> lines = batch.stdout().lines().toList();
        assertEquals(labels.size() + 1, lines.size(), batch.stdout());
        for (String line : lines.subList(0, labels.size())) {
            JsonNode json = Json.mapper().readTree(line);
            String label = json.get("label").asText();
            Path der = f.root().resolve(label + ".der");
            Path pem = f.root().resolve(label + ".pem");
            // a certificate is a public object: read without a login
            f.pkcs11Tool("--token-label", label, "--read-object", "--type", "cert", "--id",
                    json.get("keyId").asText(), "--output-file", der.toString()).assertOk();
            OpenSsl.run(f, "x509", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()).assertOk();
            String verified = OpenSsl.run(f, "verify", "-CAfile", caCert.toString(), pem.toString()).assertOk()
                    .stdout();
            assertTrue(verified.contains(": OK"), verified);
        }
    }

    @Test
    void initThenListThroughTheLauncher(SoftHsmFixture f) throws Exception {
        Path tmp = Files.createDirectories(f.root().resolve("tmp"));
        Path so = Files.writeString(f.root().resolve("so.pin"), "launcher-so-1\n");

        ProcessResult init = tokenctl(f, tmp, "init", "--label", "demo", "--force", "--so-pin-file", so.toString());
        assertEquals(0, init.exitCode(), init.both());
        assertTrue(init.stderr().contains("tokenctl: using SoftHSM2 "), "the default module is announced: " + init.both());
        assertTrue(!init.stderr().contains("building"), "the jar was packaged before the ITs: " + init.both());

        ProcessResult list = tokenctl(f, tmp, "list", "--json");
        assertEquals(0, list.exitCode(), list.both());
        JsonNode json = Json.mapper().readTree(list.stdout()); // stdout is pure JSON: no wrapper log lines
        String serial = null;
        for (JsonNode s : json.get("slots")) {
            if ("demo".equals(s.get("token").get("label").asText())) {
                serial = s.get("token").get("serial").asText();
            }
        }
        String tool = f.pkcs11Tool("-T").assertOk().stdout();
        assertTrue(tool.contains("serial num         : " + serial), tool);

        try (Stream<Path> leftovers = Files.list(tmp)) {
            assertEquals(List.of(), leftovers.toList(), "no JNI library copied to the temp dir");
        }

        ProcessResult bad = tokenctl(f, tmp, "list", "--objects", "--token-label", "nope");
        assertEquals(ExitCode.TOKEN_NOT_FOUND.code(), bad.exitCode(), bad.both());
        assertEquals("", bad.stdout());
    }
}
