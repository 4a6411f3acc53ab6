package org.tokenctl.cli;

import java.io.PrintWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging for the CLI: silent by default; with {@code --verbose}, token-core's
 * and the wrapper's debug log (PKCS#11 function names and CKR codes, never
 * PINs) goes to stderr. Nothing ever goes to stdout.
 */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose, PrintWriter err) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        if (!verbose) {
            root.setLevel(Level.OFF);
            return;
        }
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    err.println("[" + r.getLevel() + "] " + r.getLoggerName() + ": " + getFormatter().formatMessage(r));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                // stderr stays open
            }
        };
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                return formatMessage(r);
            }
        });
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(Level.WARNING);
        Logger.getLogger("org.tokenctl").setLevel(Level.FINE);
        Logger.getLogger("org.xipki").setLevel(Level.FINE);
    }
}
