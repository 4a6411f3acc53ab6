package org.tokenctl.core.module;

import java.lang.System.Logger.Level;

import org.xipki.pkcs11.wrapper.Logger;
import org.xipki.pkcs11.wrapper.StaticLogger;

/**
 * Routes the xipki wrapper's log into {@link System.Logger} (logger name
 * {@code org.xipki.pkcs11}).
 *
 * <p>Left alone, the wrapper's {@code StaticLogger} prints INFO lines to
 * <em>stdout</em>, which would corrupt a CLI's data output ({@code --json}, PEM).
 * Its INFO lines are start-up chatter, so they are logged at DEBUG. The wrapper
 * logs function names and CKR codes, never PIN values.
 */
final class WrapperLogging {

    private static final System.Logger LOG = System.getLogger("org.xipki.pkcs11");
    private static volatile boolean installed;

    private WrapperLogging() {
    }

    /** Installs the bridge; must run before the wrapper's classes initialise. Idempotent. */
    static void install() {
        if (!installed) {
            synchronized (WrapperLogging.class) {
                if (!installed) {
                    StaticLogger.setLogger(new Bridge());
                    installed = true;
                }
            }
        }
    }

    private static final class Bridge implements Logger {

        private static void log(Level level, String format, Object... args) {
            if (LOG.isLoggable(level)) {
                LOG.log(level, format(format, args));
            }
        }

        /** The wrapper uses SLF4J-style "{}" placeholders. */
        private static String format(String format, Object... args) {
            if (args == null || args.length == 0) {
                return format;
            }
            StringBuilder sb = new StringBuilder();
            int from = 0;
            for (Object arg : args) {
                int at = format.indexOf("{}", from);
                if (at < 0) {
                    break;
                }
                sb.append(format, from, at).append(arg);
                from = at + 2;
            }
            return sb.append(format.substring(from)).toString();
        }

        @Override
        public void info(String format, Object... arguments) {
            log(Level.DEBUG, format, arguments);
        }

        @Override
        public void warn(String format, Object... arguments) {
            log(Level.WARNING, format, arguments);
        }

        @Override
        public void error(String format, Object... arguments) {
            log(Level.ERROR, format, arguments);
        }

        @Override
        public void debug(String format, Object... arguments) {
            log(Level.DEBUG, format, arguments);
        }

        @Override
        public void trace(String format, Object... arguments) {
            log(Level.TRACE, format, arguments);
        }

        @Override
        public boolean isDebugEnabled() {
            return LOG.isLoggable(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return LOG.isLoggable(Level.DEBUG);
        }

        @Override
        public boolean isWarnEnabled() {
            return LOG.isLoggable(Level.WARNING);
        }

        @Override
        public boolean isTraceEnabled() {
            return LOG.isLoggable(Level.TRACE);
        }
    }
}
