package org.tokenctl.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import picocli.AutoComplete;
import picocli.CommandLine;

/** Entry point of the {@code tokenctl} command. */
public final class Main {

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(CliContext.system(), args));
    }

    /**
     * Runs tokenctl in-process (tests use this with their own context).
     *
     * @param ctx environment, streams, terminal and clock
     * @param args the command line
     * @return the exit code (see {@link ExitCode})
     */
    public static int run(CliContext ctx, String... args) {
        TokenctlCommand top = new TokenctlCommand(ctx);
        CommandLine cl = commandLine(top, args);
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        ErrorReporter reporter = new ErrorReporter(ctx.err(), top::verbose);
        cl.setExecutionExceptionHandler(reporter);
        cl.setParameterExceptionHandler(reporter);
        cl.setExecutionStrategy(parseResult -> {
            Logging.configure(top.verbose(), ctx.err());
            return new CommandLine.RunLast().execute(parseResult);
        });
        int code = cl.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    /** Every subcommand, in help order. Built on demand: picocli's model of a command costs start-up time. */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("list", ListCommand::new);
        m.put("init", InitCommand::new);
        m.put("change-pin", ChangePinCommand::new);
        m.put("unblock", UnblockCommand::new);
        m.put("guard", GuardCommand::new);
        m.put("enroll", EnrollCommand::new);
        m.put("batch-enroll", BatchEnrollCommand::new);
        m.put("import-cert", ImportCertCommand::new);
        m.put("ca", CaCommand::new);
        m.put("profiles", ProfilesCommand::new);
        m.put("generate-completion", AutoComplete.GenerateCompletion::new);
        return m;
    }

    /**
     * @param top the top command
     * @return its CommandLine with every subcommand, and the exit-code table in every command's help
     */
    static CommandLine commandLine(TokenctlCommand top) {
        return commandLine(top, new String[0]);
    }

    /**
     * Builds only the subcommand the arguments name (all of them for top-level help,
     * completion, or an unknown command, so that picocli can list or suggest them).
     */
    static CommandLine commandLine(TokenctlCommand top, String[] args) {
        CommandLine cl = new CommandLine(top);
        String named = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                named = a;
                break;
            }
        }
        boolean one = named != null && SUBCOMMANDS.containsKey(named) && !named.equals("generate-completion");
        for (Map.Entry<String, Supplier<Object>> e : SUBCOMMANDS.entrySet()) {
            if (!one || e.getKey().equals(named)) {
                cl.addSubcommand(e.getKey(), e.getValue().get());
            }
        }
        addExitCodes(cl);
        return cl;
    }

    private static void addExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpTable());
        for (CommandLine sub : cl.getSubcommands().values()) {
            addExitCodes(sub);
        }
    }
}
