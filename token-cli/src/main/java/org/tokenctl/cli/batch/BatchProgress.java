package org.tokenctl.cli.batch;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress of a batch on standard error, never stdout (which carries the
 * results): a progress bar when stderr is a terminal, else one plain line per
 * finished token, which a log file can keep. Thread-safe.
 */
public interface BatchProgress extends AutoCloseable {

    /**
     * @param r a token that finished
     */
    void done(BatchResult r);

    @Override
    void close();

    /**
     * @param terminal the terminal's error stream, or null when stderr is not a terminal
     * @param err standard error
     * @param total how many tokens the batch has
     * @return the progress reporter
     */
    static BatchProgress of(PrintStream terminal, PrintWriter err, int total) {
        return terminal != null ? new Bar(terminal, total) : new Lines(err, total);
    }

    /** The progress bar (me.tongfei:progressbar), with the failure count beside it. */
    final class Bar implements BatchProgress {
        private final ProgressBar bar;
        private final AtomicInteger failed = new AtomicInteger();

        Bar(PrintStream terminal, int total) {
            bar = new ProgressBarBuilder().setTaskName("Enrolling").setInitialMax(total).setUnit(" tokens", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
        }

        @Override
        public void done(BatchResult r) {
            if (!r.outcome().ok()) {
                bar.setExtraMessage(failed.incrementAndGet() + " failed");
            }
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** One line per finished token: "[3/50] 9dca3ab4 'bank-a': enrolled". */
    final class Lines implements BatchProgress {
        private final PrintWriter err;
        private final int total;
        private int finished;

        Lines(PrintWriter err, int total) {
            this.err = err;
            this.total = total;
        }

        @Override
        public void done(BatchResult r) {
            String what = r.serial() + " '" + r.tokenLabel() + "': " + r.outcome().label()
                    + (r.outcome().ok() ? "" : " (exit " + r.exitCode().code() + ")");
            synchronized (err) {
                err.println("[" + (++finished) + "/" + total + "] " + what);
                err.flush();
            }
        }

        @Override
        public void close() {
            err.flush();
        }
    }
}
