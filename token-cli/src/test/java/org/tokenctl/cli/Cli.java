package org.tokenctl.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Runs tokenctl in-process against a fixture's SoftHSM tokens, with a scripted
 * terminal, captured stdout/stderr and chosen environment. A run with {@code --json}
 * that prints anything is checked against the command's schema in docs/schema.
 */
final class Cli {

    private final Map<String, String> env = new HashMap<>(System.getenv());
    private final Deque<String> answers = new ArrayDeque<>();
    private boolean interactive;
    private byte[] stdin = new byte[0];
    private Clock clock = Clock.systemDefaultZone();
    private java.io.PrintStream progress;

    Cli(SoftHsmFixture fixture) {
        env.putAll(fixture.env());
        env.put(ModuleLocator.MODULE_ENV, fixture.softhsmModule().toString());
        env.put("XDG_DATA_HOME", fixture.root().resolve("xdg-data").toString());
        env.put("XDG_CONFIG_HOME", fixture.root().resolve("xdg-config").toString());
    }

    Cli env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    Cli module(Path module) {
        return env(ModuleLocator.MODULE_ENV, module.toString());
    }

    /** Makes the terminal interactive and queues what the person types, in order. */
    Cli answers(String... typed) {
        interactive = true;
        answers.addAll(List.of(typed));
        return this;
    }

    Cli stdin(String text) {
        stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Draws progress into {@code terminal} as onto a terminal's stderr. */
    Cli progress(java.io.ByteArrayOutputStream terminal) {
        progress = new java.io.PrintStream(terminal, true, StandardCharsets.UTF_8);
        return this;
    }

    Cli clock(Clock c) {
        clock = c;
        return this;
    }

    CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new ScriptedTerminal(interactive, answers, prompt -> err.write(prompt + "\n"),
                progress);
        CliContext ctx = new CliContext(Map.copyOf(env), new ByteArrayInputStream(stdin),
                new PrintWriter(out, true), new PrintWriter(err, true), terminal, clock);
        int code = Main.run(ctx, args);
        String stdout = out.toString();
        String command = JsonSchemas.command(args);
        if (ErrorReporter.jsonAsked(args) && command != null) {
            // every --json output any test produces must be what docs/schema says, a failure included
            JsonSchemas.assertConforms(command, stdout, code);
        }
        return new CliResult(code, stdout, err.toString());
    }
}
