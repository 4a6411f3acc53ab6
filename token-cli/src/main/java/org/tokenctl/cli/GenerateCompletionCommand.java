package org.tokenctl.cli;

import java.util.concurrent.Callable;

import org.tokenctl.cli.options.Completions;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tokenctl generate-completion}: picocli's bash completion script for the
 * whole command model (zsh loads it through bashcompinit), which completes the
 * subcommands, the option names and the fixed sets of values
 * ({@link Completions}), with one addition: the options whose values depend on the
 * machine (token labels, serials, slot ids, profiles) ask
 * {@code tokenctl complete-values} when Tab is pressed, passing on the --module and
 * --profile already typed, bounded by {@code timeout} so that a hung module never
 * hangs the shell.
 */
@Command(name = "generate-completion", mixinStandardHelpOptions = true,
        description = {"Print the bash/zsh completion script for tokenctl to stdout: subcommands, options, and"
                + " their values (key specs, hashes, and the labels and serials of the tokens present, asked of"
                + " tokenctl when Tab is pressed)."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl generate-completion", "  source <(tokenctl generate-completion)"})
final class GenerateCompletionCommand implements Callable<Integer> {

    /** Seconds a completion waits for tokenctl complete-values, unless $TOKENCTL_COMPLETION_TIMEOUT says. */
    static final int TIMEOUT_SECONDS = 3;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private TokenctlCommand top;

    @Override
    public Integer call() throws Exception {
        top.ctx().out().print(script(AutoComplete.bash(spec.root().name(), spec.root().commandLine())));
        top.ctx().out().flush();
        return ExitCode.OK.code();
    }

    /**
     * @param generated picocli's script
     * @return the script with the machine-dependent options asking tokenctl for their values
     * @throws IllegalStateException if picocli's script no longer has the shape this relies on
     */
    static String script(String generated) {
        String out = generated;
        for (String[] d : Completions.DYNAMIC) {
            String empty = "    '" + d[0] + "')\n      return\n      ;;\n";
            if (!out.contains(empty)) {
                throw new IllegalStateException("picocli's completion script has no empty case for " + d[0]);
            }
            out = out.replace(empty, "    '" + d[0] + "')\n      _tokenctl_values " + d[1]
                    + "\n      return $?\n      ;;\n");
        }
        return out + HELPER;
    }

    private static final String HELPER = """

            # Values that depend on this machine (token labels, serials, slot ids, profiles),
            # asked of tokenctl itself with the --module and --profile already on the line;
            # nothing is offered if it fails or takes longer than $TOKENCTL_COMPLETION_TIMEOUT
            # seconds (default %d).
            function _tokenctl_values() {
              local args=() i bound=()
              for (( i=1; i<COMP_CWORD; i++ )); do
                case ${COMP_WORDS[i]} in
                  --module|--profile) args+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}") ;;
                esac
              done
              type timeout &>/dev/null && bound=(timeout "${TOKENCTL_COMPLETION_TIMEOUT:-%d}")
              local IFS=$'\\n'
              local values=( $("${bound[@]}" "${COMP_WORDS[0]}" complete-values "$1" "${args[@]}" 2>/dev/null) )
              COMPREPLY=( $( compReplyArray "${values[@]}" ) )
            }
            """.formatted(TIMEOUT_SECONDS, TIMEOUT_SECONDS);
}
