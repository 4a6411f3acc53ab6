package org.tokenctl.cli.output;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;

import org.tokenctl.core.enroll.EnrollmentSteps;

/**
 * Shows, on standard error when it is a terminal, that a single enrollment is
 * working: once it has run for {@link #DELAY} (an enrollment that is done sooner
 * shows nothing), one line redrawn by me.tongfei:progressbar: a spinner, the step
 * under way and the time taken ("generating the rsa:4096 key pair on the token",
 * "waiting for the CA"), cleared once the enrollment ends. Nothing at all when stderr is not a terminal: a log or a
 * script gets the result lines only. Never writes to stdout. Thread-safe.
 */
public final class StepProgress implements EnrollmentSteps, AutoCloseable {

    /** How long an enrollment runs before the bar appears. */
    public static final Duration DELAY = Duration.ofMillis(400);

    private final PrintStream terminal;
    private final Function<Step, String> describe;
    private final ScheduledExecutorService timer;
    private String current;
    private ProgressBar bar;
    private boolean started;
    private boolean closed;

    /**
     * @param terminal the terminal's error stream, or null when stderr is not a terminal (then nothing is shown)
     * @param describe what each step is doing, for the operator
     */
    public StepProgress(PrintStream terminal, Function<Step, String> describe) {
        this.terminal = terminal;
        this.describe = Objects.requireNonNull(describe, "describe");
        this.timer = terminal == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tokenctl-progress");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void begins(Step step) {
        if (terminal == null || closed) {
            return;
        }
        current = describe.apply(step);
        if (bar != null) {
            bar.setExtraMessage(current);
        } else if (!started) {
            started = true;
            timer.schedule(this::show, DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void show() {
        if (closed || bar != null) {
            return;
        }
        bar = new ProgressBarBuilder().setTaskName("Enrolling").setInitialMax(-1).clearDisplayOnFinish()
                .setRenderer(StepProgress::render).setConsumer(new ConsoleProgressBarConsumer(terminal))
                .setUpdateIntervalMillis(200).build();
        bar.setExtraMessage(current);
    }

    private static final String SPINNER = "|/-\\";

    /** "Enrolling / generating the rsa:4096 key pair on the token (3 s)": no count or percentage to show. */
    static String render(ProgressState state, int maxLength) {
        long millis = state.getTotalElapsed().toMillis();
        String line = state.getTaskName() + " " + SPINNER.charAt((int) (millis / 200 % SPINNER.length())) + " "
                + state.getExtraMessage() + " (" + millis / 1000 + " s)";
        return line.length() <= maxLength || maxLength <= 0 ? line : line.substring(0, maxLength);
    }

    /** Takes the bar away (the enrollment ended, well or not); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
        if (bar != null) {
            bar.close();
        }
    }
}
