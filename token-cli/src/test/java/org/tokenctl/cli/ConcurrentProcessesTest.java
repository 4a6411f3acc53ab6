package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Two tokenctl processes enrolling on the same token at the same moment: each
 * either succeeds with its own key, or fails cleanly (one line, a documented
 * exit code, nothing of its own left behind). No object is ever orphaned, and a
 * list afterwards agrees with pkcs11-tool.
 */
@ExtendWith(SoftHsmExtension.class)
class ConcurrentProcessesTest {

    private static final String PIN = "31415926";
    private static final Pattern ID = Pattern.compile("^\\s*ID:\\s*([0-9a-f]+)", Pattern.MULTILINE);

    private static ProcessResult tokenctl(SoftHsmFixture f, String... args) {
        Map<String, String> env = new HashMap<>(f.env());
        env.put("TOKENCTL_MODULE", f.softhsmModule().toString());
        env.put("XDG_DATA_HOME", f.root().resolve("xdg-data").toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return Processes.run(env, new byte[0], cmd);
    }

    @Test
    void twoProcessesEnrollOnOneTokenAtOnce(SoftHsmFixture f) throws Exception {
        f.initToken("shared", "shared-so-1", PIN);
        Path pin = Files.writeString(f.root().resolve("pin"), PIN);
        Path ca = f.root().resolve("ca.pem");
        Path caKey = f.root().resolve("ca.key");
        new Cli(f).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString()).assertOk();

        int succeeded = 0;
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<ProcessResult>> running = new ArrayList<>();
            for (String who : List.of("left", "right")) {
                String label = who + "-" + round;
                running.add(CompletableFuture.supplyAsync(() -> tokenctl(f, "enroll", "--token-label", "shared",
                        "--pin-file", pin.toString(), "--label", label, "--subject", "CN=" + label, "--key-spec",
                        "ec:p256", "--ca-cert", ca.toString(), "--ca-key", caKey.toString())));
            }
            for (CompletableFuture<ProcessResult> r : running) {
                ProcessResult p = r.join();
                if (p.exitCode() == 0) {
                    succeeded++;
                } else {
                    long lines = p.stderr().lines().filter(l -> l.startsWith("tokenctl: ")).count();
                    assertEquals(1, lines, "a clean failure is one line: " + p.both());
                    assertFalse(p.stderr().contains("\tat "), p.both());
                    assertTrue(Set.of(ExitCode.TOKEN_ERROR.code(), ExitCode.INCOMPLETE.code()).contains(p.exitCode()),
                            p.both());
                }
            }
        }
        ObjectSnapshot objects = ObjectSnapshot.of(f, "shared", PIN);
        Set<String> priv = ids(objects.ofKind("Private Key Object"));
        Set<String> pub = ids(objects.ofKind("Public Key Object"));
        Set<String> certs = ids(objects.ofKind("Certificate Object"));
        assertEquals(priv, pub, "every private key has its public key: " + objects);
        assertEquals(priv, certs, "every key has its certificate, no orphan: " + objects);
        assertEquals(succeeded, priv.size(), "one key per successful enrollment, all distinct");
        assertTrue(succeeded >= 3, "most concurrent enrollments succeed: " + succeeded + " of 6");

        ProcessResult list = tokenctl(f, "list", "--objects", "--token-label", "shared", "--pin-file", pin.toString(),
                "--json");
        assertEquals(0, list.exitCode(), list.both());
        assertEquals(succeeded * 3, countMatches(list.stdout(), "\"objectClass\""), list.stdout());
    }

    private static Set<String> ids(List<String> blocks) {
        Set<String> ids = new TreeSet<>();
        for (String b : blocks) {
            Matcher m = ID.matcher(b);
            assertTrue(m.find(), "object without an ID: " + b);
            ids.add(m.group(1));
        }
        return ids;
    }

    private static int countMatches(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
