package org.tokenctl.cli;

import java.util.Deque;
import java.util.function.Consumer;

/**
 * A terminal for tests: interactive or not, it answers each prompt with the next
 * queued entry (end of input once they run out) and hands every prompt to a sink.
 */
final class ScriptedTerminal implements Terminal {

    private final boolean interactive;
    private final Deque<String> answers;
    private final Consumer<String> prompts;
    private final java.io.PrintStream progress;

    /**
     * @param interactive whether it says it can prompt
     * @param answers what the person types, in order; taken from as they are asked for, so a
     *                queue shared by several runs goes on where the last one stopped
     * @param prompts told each prompt as shown
     */
    ScriptedTerminal(boolean interactive, Deque<String> answers, Consumer<String> prompts) {
        this(interactive, answers, prompts, null);
    }

    /**
     * @param progress where a progress bar is drawn, as if stderr were a terminal (null: it is not)
     */
    ScriptedTerminal(boolean interactive, Deque<String> answers, Consumer<String> prompts,
                     java.io.PrintStream progress) {
        this.interactive = interactive;
        this.answers = answers;
        this.prompts = prompts;
        this.progress = progress;
    }

    @Override
    public java.io.PrintStream progressStream() {
        return progress;
    }

    @Override
    public boolean interactive() {
        return interactive;
    }

    @Override
    public char[] readSecret(String prompt) {
        prompts.accept(prompt);
        String a = answers.poll();
        return a == null ? null : a.toCharArray();
    }

    @Override
    public String readLine(String prompt) {
        prompts.accept(prompt);
        return answers.poll();
    }
}
