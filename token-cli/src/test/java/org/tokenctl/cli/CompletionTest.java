package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.cli.options.Completions;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.profile.ProfileRegistry;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Shell completion of option values: the fixed sets (key specs, hashes, media,
 * delete types) from the script itself, and the labels, serials and slots of the
 * tokens present, asked of {@code tokenctl complete-values}, checked against
 * pkcs11-tool and then through bash running the generated script.
 */
@ExtendWith(SoftHsmExtension.class)
class CompletionTest {

    private static final String ONE = "comp-tok-1";
    private static final String TWO = "comp tok 2";
    private static SoftHsmFixture fixture;
    private static Set<String> serials;

    @BeforeAll
    static void setUp(SoftHsmFixture f) {
        fixture = f;
        serials = new TreeSet<>(List.of(f.initToken(ONE, "so-pin-c1", "13572468"),
                f.initToken(TWO, "so-pin-c2", "13572468")));
    }

    private static Set<String> lines(String text) {
        return text.lines().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void completeValuesListsWhatIsPresentAsPkcs11ToolSeesIt() {
        assertEquals(Set.of(ONE, TWO), lines(new Cli(fixture).run("complete-values", "token-label").assertOk().out()));
        assertEquals(serials, lines(new Cli(fixture).run("complete-values", "serial").assertOk().out()));

        // every slot with a token, the free one too (init --slot): the ids pkcs11-tool shows
        Set<String> slots = new TreeSet<>();
        Matcher m = Pattern.compile("^Slot \\d+ \\(0x([0-9a-f]+)\\)", Pattern.MULTILINE)
                .matcher(fixture.pkcs11Tool("-T").assertOk().stdout());
        while (m.find()) {
            slots.add(Long.toString(Long.parseLong(m.group(1), 16)));
        }
        assertEquals(3, slots.size(), slots.toString());
        assertEquals(slots, lines(new Cli(fixture).run("complete-values", "slot").assertOk().out()));

        assertTrue(lines(new Cli(fixture).run("complete-values", "profile").assertOk().out())
                .containsAll(ProfileRegistry.BUILT_IN));
    }

    @Test
    void failuresOfferNothing() {
        CliResult unknown = new Cli(fixture).run("complete-values", "pin");
        assertEquals(ExitCode.USAGE.code(), unknown.exitCode(), unknown.both());
        assertEquals("", unknown.out());
        CliResult noModule = new Cli(fixture).run("complete-values", "token-label", "--module",
                fixture.root().resolve("missing.so").toString());
        assertFalse(noModule.exitCode() == 0, noModule.both());
        assertEquals("", noModule.out());
    }

    @Test
    void theScriptAsksTokenctlForEveryMachineDependentOption() {
        String script = new Cli(fixture).run("generate-completion").assertOk().out();
        for (String[] d : Completions.DYNAMIC) {
            assertFalse(script.contains("    '" + d[0] + "')\n      return\n"), d[0] + " left without values");
            assertTrue(script.contains("    '" + d[0] + "')\n      _tokenctl_values " + d[1] + "\n"), d[0]);
        }
        assertTrue(script.contains("function _tokenctl_values()"), "the helper is in the script");
        assertFalse(script.contains("complete-values'"), "the helper command is hidden from completion");
    }

    /** Completes the words as bash would at Tab, with the generated script; returns COMPREPLY. */
    private static Set<String> complete(String... words) throws Exception {
        Path dir = fixture.root();
        Path script = dir.resolve("tokenctl.bash");
        if (!Files.exists(script)) {
            Files.writeString(script, new Cli(fixture).run("generate-completion").assertOk().out());
        }
        // the command the user typed: this build's tokenctl, on the test class path
        Path tokenctl = dir.resolve("tokenctl-under-test");
        if (!Files.exists(tokenctl)) {
            Files.writeString(tokenctl, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                    + "' -cp '" + System.getProperty("java.class.path") + "' org.tokenctl.cli.Main \"$@\"\n");
            Files.setPosixFilePermissions(tokenctl, PosixFilePermissions.fromString("rwx------"));
        }
        List<String> quoted = new ArrayList<>();
        quoted.add("'" + tokenctl + "'");
        for (String w : words) {
            quoted.add("'" + w + "'");
        }
        String bash = "source '" + script + "'\n"
                + "COMP_WORDS=(" + String.join(" ", quoted) + ")\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
                + "compopt() { :; }\n" // only defined inside a real completion
                + "_complete_tokenctl\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Map<String, String> env = new HashMap<>(fixture.env());
        env.put(ModuleLocator.MODULE_ENV, fixture.softhsmModule().toString());
        env.put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("xdg-config").toString());
        env.put("TOKENCTL_COMPLETION_TIMEOUT", "120"); // a cold JVM on a loaded CI machine
        ProcessResult r = Processes.run(env, new byte[0], List.of("bash", "--norc", "-c", bash)).assertOk();
        Set<String> out = lines(r.stdout());
        out.remove("");
        return out;
    }

    @Test
    void bashCompletesValuesWithTheGeneratedScript() throws Exception {
        assertEquals(Set.of("ec:p256", "ec:p384"), complete("enroll", "--key-spec", "ec"));
        assertEquals(Set.of(KeySpec.values()).stream().map(KeySpec::spec).collect(Collectors.toSet()),
                complete("batch-enroll", "--key-spec", ""));
        assertEquals(Set.of("sha256", "sha384", "sha512", "sm3"), complete("enroll", "--hash", ""));
        assertEquals(Set.of("p12"), complete("enroll", "--medium", "p"));
        assertEquals(Set.of("pair", "private", "public"), complete("delete", "--type", "p"));
        // the labels of the tokens present, escaped for the shell as picocli's script escapes values
        assertEquals(Set.of(ONE, "comp\\ tok\\ 2"), complete("enroll", "--token-label", "comp"));
        assertEquals(Set.of(ONE), complete("list", "--token-label", "comp-"));
        assertEquals(serials, complete("change-pin", "--serial", ""));
        // the --module already typed is the one asked: here one that does not exist, so nothing is offered
        assertEquals(Set.of(), complete("list", "--module", fixture.root().resolve("none.so").toString(),
                "--token-label", ""));
    }
}
