package org.tokenctl.cli;

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
        CommandLine cl = commandLine(top);
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

    /**
     * @param top the top command
     * @return its CommandLine, with the exit-code table in every command's help
     */
    static CommandLine commandLine(TokenctlCommand top) {
        CommandLine cl = new CommandLine(top);
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
