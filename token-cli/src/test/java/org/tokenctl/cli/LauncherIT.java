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
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** The packaged launcher, run as a separate process the way a user runs it. */
@ExtendWith(SoftHsmExtension.class)
class LauncherIT {

    private static ProcessResult tokenctl(SoftHsmFixture f, Path tmp, String... args) {
        Map<String, String> env = new HashMap<>(f.env());
        env.put("XDG_DATA_HOME", f.root().resolve("xdg").toString());
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
